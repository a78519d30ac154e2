// SqlTx: a person's data, exported and erased (GDPR). The lists below are
// where personal data lies in the schema; a new table holding some must be
// added to both (tests/http/account_lifecycle_test.cpp checks the export
// and the erasure end to end).
#include <soci/soci.h>

#include <string_view>

#include "core/id.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {

namespace {

struct Source {
  const char* name;
  const char* query;  // :u (and :v, when a second is needed) is the user id
};

// Ballots of open votes are keyed "user:<id>"; secret ballots by a keyed
// hash nobody can link to the voter, so they are not (and cannot be) here.
constexpr Source kSources[] = {
    {"profile",
     "SELECT id, email, display_name, created_at, email_verified_at FROM users WHERE id = :u"},
    {"sessions", "SELECT created_at, expires_at, last_seen_at FROM sessions WHERE user_id = :u"},
    {"memberships", "SELECT * FROM memberships WHERE user_id = :u"},
    {"dues", "SELECT * FROM paid_memberships WHERE user_id = :u"},
    {"recurring_gifts", "SELECT * FROM recurring_gifts WHERE user_id = :u"},
    {"tax_receipts", "SELECT * FROM receipts WHERE user_id = :u"},
    {"circles", "SELECT * FROM circle_members WHERE user_id = :u"},
    {"pledges", "SELECT * FROM pledges WHERE user_id = :u"},
    {"loans", "SELECT * FROM loan_contracts WHERE user_id = :u"},
    {"loan_repayments_received", "SELECT * FROM loan_allocations WHERE user_id = :u"},
    {"withdrawals", "SELECT * FROM withdrawals WHERE user_id = :u"},
    {"proposals", "SELECT * FROM proposals WHERE created_by = :u"},
    {"votes", "SELECT * FROM ballots WHERE ballot_key = 'user:' || :u"},
    {"participation",
     "SELECT proposal_id, user_id, via_user_id FROM vote_register WHERE user_id = :u OR "
     "via_user_id = :v"},
    {"proxies", "SELECT * FROM proxies WHERE from_user_id = :u OR to_user_id = :v"},
    {"assemblies", "SELECT * FROM assembly_attendance WHERE user_id = :u"},
    {"budget_votes", "SELECT * FROM budget_votes WHERE user_id = :u"},
    {"comments", "SELECT * FROM comments WHERE user_id = :u"},
    {"reports", "SELECT * FROM reports WHERE user_id = :u"},
    {"circle_posts",
     "SELECT id, circle_id, body_md, photo_type, created_at FROM circle_posts WHERE user_id = :u"},
    {"follows", "SELECT * FROM follows WHERE user_id = :u"},
    {"activities", "SELECT * FROM activities WHERE actor_id = :u"},
    {"notifications", "SELECT * FROM notifications WHERE user_id = :u"},
    {"mail_settings", "SELECT mode, last_digest_at FROM mail_settings WHERE user_id = :u"},
    {"events", "SELECT * FROM event_registrations WHERE user_id = :u"},
    {"invitations_sent",
     "SELECT id, target_kind, target_id, email_norm, role, status, created_at, expires_at, "
     "answered_at FROM invitations WHERE invited_by = :u"},
    {"drafts_coauthored", "SELECT * FROM draft_coauthors WHERE user_id = :u"},
    {"draft_comments", "SELECT * FROM draft_comments WHERE user_id = :u"},
    {"revisions_written",
     "SELECT doc_kind, doc_id, n, title, created_at FROM revisions WHERE author_id = :u"},
    {"amendments", "SELECT * FROM amendments WHERE created_by = :u"},
    {"courses_followed", "SELECT * FROM enrolments WHERE user_id = :u"},
    {"lessons_done", "SELECT * FROM lessons_done WHERE user_id = :u"},
    {"quiz_attempts", "SELECT * FROM quiz_attempts WHERE user_id = :u"},
    {"certificates", "SELECT * FROM certificates WHERE user_id = :u"},
};

app::PersonalValue value_of(const soci::row& row, std::size_t idx) {
  app::PersonalValue value;
  if (row.get_indicator(idx) == soci::i_null) return value;
  switch (row.get_properties(idx).get_data_type()) {
    case soci::dt_string:
      value.kind = app::PersonalValue::Kind::text;
      value.text = row.get<std::string>(idx);
      break;
    default:
      value.kind = app::PersonalValue::Kind::integer;
      value.integer = get_i64(row, idx);
  }
  return value;
}

}  // namespace

std::vector<app::PersonalTable> SqlTx::personal_data(const core::UserId& user_id) {
  std::vector<app::PersonalTable> out;
  for (const auto& source : kSources) {
    app::PersonalTable table{source.name, {}};
    const bool twice = std::string_view(source.query).find(":v") != std::string_view::npos;
    soci::rowset<soci::row> rows =
        twice ? (sql_.prepare << source.query, soci::use(user_id, "u"), soci::use(user_id, "v"))
              : (sql_.prepare << source.query, soci::use(user_id, "u"));
    for (const auto& row : rows) {
      app::PersonalRow fields;
      for (std::size_t idx = 0; idx < row.size(); ++idx) {
        fields.emplace_back(row.get_properties(idx).get_name(), value_of(row, idx));
      }
      table.rows.push_back(std::move(fields));
    }
    out.push_back(std::move(table));
  }
  return out;
}

void SqlTx::erase_person(const core::UserId& user_id, app::TimestampMs now) {
  require_writable();
  long long at = now;
  std::string email_norm;
  sql_ << "SELECT email_norm FROM users WHERE id = :u", soci::use(user_id), soci::into(email_norm);
  const char* statements[] = {
      "DELETE FROM sessions WHERE user_id = :u",
      "DELETE FROM one_time_tokens WHERE user_id = :u",
      "DELETE FROM idempotency_keys WHERE user_id = :u",
      "DELETE FROM memberships WHERE user_id = :u",
      "DELETE FROM circle_members WHERE user_id = :u",
      "DELETE FROM circle_posts WHERE user_id = :u",
      "DELETE FROM proxies WHERE from_user_id = :u OR to_user_id = :v",
      "DELETE FROM follows WHERE user_id = :u OR (target_type = 'user' AND target_id = :v)",
      "DELETE FROM notifications WHERE user_id = :u",
      "DELETE FROM mail_settings WHERE user_id = :u",
      "DELETE FROM event_registrations WHERE user_id = :u",
      "DELETE FROM outbox WHERE user_id = :u",
      "DELETE FROM reports WHERE user_id = :u",
      "DELETE FROM invitations WHERE invited_by = :u AND status = 'pending'",
      // Replies keep their place; the words are gone.
      "UPDATE comments SET body = '', hidden = 1 WHERE user_id = :u",
      // Money stays (accounting, the ledger's checks), unnamed.
      "UPDATE pledges SET anonymous = 1, message = NULL WHERE user_id = :u",
      // A regular gift stops with its giver, dues announced and never paid
      // go, and so do the address given for receipts (issued receipts are
      // tax records the organisation must keep six years).
      "UPDATE recurring_gifts SET status = 'cancelled' WHERE user_id = :u",
      "UPDATE paid_memberships SET status = 'cancelled' WHERE user_id = :u AND status = 'pending'",
      "DELETE FROM receipt_requests WHERE user_id = :u",
      // Shared texts keep their history (under "Compte supprimé"); the
      // person's own learning goes.
      "UPDATE draft_comments SET body = '' WHERE user_id = :u",
      "DELETE FROM certificates WHERE user_id = :u",
      "DELETE FROM quiz_attempts WHERE user_id = :u",
      "DELETE FROM lessons_done WHERE user_id = :u",
      "DELETE FROM enrolments WHERE user_id = :u",
  };
  for (const char* statement : statements) {
    if (std::string_view(statement).find(":v") != std::string_view::npos) {
      sql_ << statement, soci::use(user_id, "u"), soci::use(user_id, "v");
    } else {
      sql_ << statement, soci::use(user_id, "u");
    }
  }
  sql_ << "DELETE FROM invitations WHERE email_norm = :e AND status = 'pending'",
      soci::use(email_norm);
  const std::string gone_email = "deleted-" + user_id + "@deleted.invalid";
  const std::string gone_norm = "deleted:" + user_id;
  sql_ << "UPDATE users SET email = :e, email_norm = :n, display_name = 'Compte supprimé', "
          "password_hash = '!', email_verified_at = NULL, deleted_at = :at WHERE id = :u",
      soci::use(gone_email), soci::use(gone_norm), soci::use(at), soci::use(user_id);
}

}  // namespace essor::store
