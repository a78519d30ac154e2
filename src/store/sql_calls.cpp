// SqlCalls: funders' calls, applications, matches, territorial figures.
#include "store/sql_calls.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

#define ESSOR_CALL_COLUMNS                                                                 \
  "SELECT k.id, k.org_id, k.title, k.description_md, k.pool_cents, k.match_ratio_pct, "    \
  "k.cap_per_pledge_cents, k.cap_per_campaign_cents, k.cap_per_backer_cents, k.opens_at, " \
  "k.closes_at, k.regions, k.categories, k.legal_forms, k.committed_cents, k.created_by, " \
  "k.created_at, o.name FROM calls k JOIN orgs o ON o.id = k.org_id "

#define ESSOR_APPLICATION_COLUMNS                                                             \
  "SELECT a.call_id, a.campaign_id, a.status, a.matched_cents, a.applied_by, a.applied_at, "  \
  "a.decided_at, c.title, o.name, k.title, f.name FROM call_applications a JOIN campaigns c " \
  "ON c.id = a.campaign_id JOIN orgs o ON o.id = c.org_id JOIN calls k ON k.id = a.call_id "  \
  "JOIN orgs f ON f.id = k.org_id "

// A list of words kept as one text, comma-separated (codes, never commas).
std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ",") + word;
  return out;
}

std::vector<std::string> words(const std::vector<core::LegalForm>& forms) {
  std::vector<std::string> out;
  for (const auto form : forms) out.push_back(core::to_string(form));
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Param opt_param(const std::optional<core::Cents>& value) {
  return value ? Param{std::int64_t{*value}} : Param{nullptr};
}

app::CallRecord call_from_row(const NativeRow& row) {
  app::CallRecord k;
  k.id = row.text(0);
  k.org_id = row.text(1);
  k.title = row.text(2);
  k.description_md = row.text(3);
  k.terms.pool_cents = row.i64(4);
  k.terms.match_ratio_pct = row.i64(5);
  k.terms.cap_per_pledge_cents = row.opt_i64(6);
  k.terms.cap_per_campaign_cents = row.i64(7);
  k.terms.cap_per_backer_cents = row.opt_i64(8);
  k.terms.opens_at = row.i64(9);
  k.terms.closes_at = row.i64(10);
  k.regions = split(row.text(11));
  k.categories = split(row.text(12));
  for (const auto& word : split(row.text(13)))
    k.legal_forms.push_back(known(core::parse_legal_form, word));
  k.committed_cents = row.i64(14);
  k.created_by = row.text(15);
  k.created_at = row.i64(16);
  k.org_name = row.text(17);
  return k;
}

app::ApplicationRecord application_from_row(const NativeRow& row) {
  app::ApplicationRecord a;
  a.call_id = row.text(0);
  a.campaign_id = row.text(1);
  a.status = known(core::parse_application_status, row.text(2));
  a.matched_cents = row.i64(3);
  a.applied_by = row.text(4);
  a.applied_at = row.i64(5);
  a.decided_at = row.opt_i64(6);
  a.campaign_title = row.text(7);
  a.org_name = row.text(8);
  a.call_title = row.text(9);
  a.funder_name = row.text(10);
  return a;
}

}  // namespace

void SqlCalls::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::optional<app::CallRecord> SqlCalls::call_by_id(const std::string& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_CALL_COLUMNS "WHERE k.id = ?", {id}))
    return call_from_row(row);
  return std::nullopt;
}

std::vector<app::CallRecord> SqlCalls::list_calls(std::int64_t limit, std::int64_t offset) {
  std::vector<app::CallRecord> out;
  for (const auto& row : native_query(
           sql_, backend_, ESSOR_CALL_COLUMNS "ORDER BY k.closes_at DESC, k.id LIMIT ? OFFSET ?",
           {limit, offset}))
    out.push_back(call_from_row(row));
  return out;
}

std::vector<app::CallRecord> SqlCalls::calls_of_org(const core::OrgId& org_id) {
  std::vector<app::CallRecord> out;
  for (const auto& row : native_query(
           sql_, backend_, ESSOR_CALL_COLUMNS "WHERE k.org_id = ? ORDER BY k.closes_at DESC, k.id",
           {org_id}))
    out.push_back(call_from_row(row));
  return out;
}

std::vector<app::ApplicationRecord> SqlCalls::applications_of_call(const std::string& call_id) {
  std::vector<app::ApplicationRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      ESSOR_APPLICATION_COLUMNS
                                      "WHERE a.call_id = ? ORDER BY a.applied_at, a.campaign_id",
                                      {call_id}))
    out.push_back(application_from_row(row));
  return out;
}

std::vector<app::ApplicationRecord> SqlCalls::applications_of_campaign(
    const core::CampaignId& campaign_id) {
  std::vector<app::ApplicationRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      ESSOR_APPLICATION_COLUMNS
                                      "WHERE a.campaign_id = ? ORDER BY a.applied_at, a.call_id",
                                      {campaign_id}))
    out.push_back(application_from_row(row));
  return out;
}

std::optional<app::ApplicationRecord> SqlCalls::application(const std::string& call_id,
                                                            const core::CampaignId& campaign_id) {
  for (const auto& row : native_query(
           sql_, backend_, ESSOR_APPLICATION_COLUMNS "WHERE a.call_id = ? AND a.campaign_id = ?",
           {call_id, campaign_id}))
    return application_from_row(row);
  return std::nullopt;
}

std::optional<std::string> SqlCalls::accepted_call_of(const core::CampaignId& campaign_id) {
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT call_id FROM call_applications WHERE campaign_id = "
                                      "? AND status = 'accepted'",
                                      {campaign_id}))
    return row.text(0);
  return std::nullopt;
}

core::Cents SqlCalls::matched_to_backer(const std::string& call_id, const core::UserId& user_id) {
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM call_matches WHERE call_id "
           "= ? AND user_id = ? AND status = 'active'",
           {call_id, user_id}))
    return row.i64(0);
  return 0;
}

std::vector<app::MatchRecord> SqlCalls::active_matches_of_campaign(
    const core::CampaignId& campaign_id) {
  std::vector<app::MatchRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT id, call_id, campaign_id, pledge_id, user_id, amount_cents, status, created_at "
           "FROM call_matches WHERE campaign_id = ? AND status = 'active' ORDER BY created_at, id",
           {campaign_id})) {
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.i64(5),
                   known(core::parse_match_status, row.text(6)), row.i64(7)});
  }
  return out;
}

app::TerritoryFigures SqlCalls::territory_figures(core::TimestampMs from, core::TimestampMs to) {
  app::TerritoryFigures out;
  // Money from the ledger (sealed or waiting to be), by campaign.
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT c.id, c.org_id, c.category, c.status, o.legal_form, COALESCE(o.region, ''), "
           "COALESCE(o.department, ''), CAST(COALESCE((SELECT SUM(t.amount_cents) FROM "
           "ledger_transfers t WHERE t.campaign_id = c.id AND t.kind = 'pledge'), 0) AS BIGINT), "
           "CAST(COALESCE((SELECT SUM(CASE WHEN t.kind = 'match' THEN t.amount_cents ELSE "
           "-t.amount_cents END) FROM ledger_transfers t WHERE t.campaign_id = c.id AND t.kind IN "
           "('match', 'match_return')), 0) AS BIGINT) FROM campaigns c JOIN orgs o ON o.id = "
           "c.org_id WHERE c.status IN ('live', 'succeeded', 'failed') AND c.published_at >= ? AND "
           "c.published_at < ? ORDER BY c.id",
           {from, to})) {
    out.campaigns.push_back({row.text(0), row.text(1), row.text(2),
                             known(core::parse_status, row.text(3)),
                             known(core::parse_legal_form, row.text(4)), row.text(5), row.text(6),
                             row.i64(7), row.i64(8)});
  }
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT DISTINCT c.org_id, p.user_id FROM pledges p JOIN campaigns c ON c.id = "
           "p.campaign_id WHERE p.status IN ('confirmed', 'refunded') AND c.status IN ('live', "
           "'succeeded', 'failed') AND c.published_at >= ? AND c.published_at < ? ORDER BY 1, 2",
           {from, to}))
    out.org_backers.emplace_back(row.text(0), row.text(1));
  return out;
}

void SqlCalls::insert_call(const app::CallRecord& k) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO calls (id, org_id, title, description_md, pool_cents, "
               "match_ratio_pct, cap_per_pledge_cents, cap_per_campaign_cents, "
               "cap_per_backer_cents, opens_at, closes_at, regions, categories, legal_forms, "
               "committed_cents, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?, 0, ?, ?)",
               {k.id, k.org_id, k.title, k.description_md, k.terms.pool_cents,
                k.terms.match_ratio_pct, opt_param(k.terms.cap_per_pledge_cents),
                k.terms.cap_per_campaign_cents, opt_param(k.terms.cap_per_backer_cents),
                k.terms.opens_at, k.terms.closes_at, joined(k.regions), joined(k.categories),
                joined(words(k.legal_forms)), k.created_by, k.created_at});
}

std::optional<app::CallRecord> SqlCalls::lock_call(const std::string& id) {
  require_writable();
  // SQLite's one writer already orders every writing transaction.
  const auto rows =
      backend_ == Backend::postgresql
          ? native_query(sql_, backend_, ESSOR_CALL_COLUMNS "WHERE k.id = ? FOR UPDATE OF k", {id})
          : native_query(sql_, backend_, ESSOR_CALL_COLUMNS "WHERE k.id = ?", {id});
  for (const auto& row : rows) return call_from_row(row);
  return std::nullopt;
}

bool SqlCalls::insert_application(const app::ApplicationRecord& a) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO call_applications (call_id, campaign_id, status, "
                       "matched_cents, applied_by, applied_at) VALUES (?, ?, 'pending', 0, ?, ?) "
                       "ON CONFLICT DO NOTHING RETURNING call_id",
                       {a.call_id, a.campaign_id, a.applied_by, a.applied_at})
              .empty();
}

bool SqlCalls::decide_application(const std::string& call_id, const core::CampaignId& campaign_id,
                                  core::ApplicationStatus to, core::TimestampMs now) {
  require_writable();
  if (to == core::ApplicationStatus::accepted && accepted_call_of(campaign_id)) return false;
  return !native_query(sql_, backend_,
                       "UPDATE call_applications SET status = ?, decided_at = ? WHERE call_id = ? "
                       "AND campaign_id = ? AND status = 'pending' RETURNING call_id",
                       {core::to_string(to), now, call_id, campaign_id})
              .empty();
}

void SqlCalls::insert_match(const app::MatchRecord& m) {
  require_writable();
  native_query(
      sql_, backend_,
      "INSERT INTO call_matches (id, call_id, campaign_id, pledge_id, user_id, "
      "amount_cents, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?)",
      {m.id, m.call_id, m.campaign_id, m.pledge_id, m.user_id, m.amount_cents, m.created_at});
  native_query(sql_, backend_,
               "UPDATE calls SET committed_cents = committed_cents + ? WHERE id = ?",
               {m.amount_cents, m.call_id});
  native_query(sql_, backend_,
               "UPDATE call_applications SET matched_cents = matched_cents + ? WHERE call_id = ? "
               "AND campaign_id = ?",
               {m.amount_cents, m.call_id, m.campaign_id});
}

bool SqlCalls::return_match(const app::MatchRecord& m, core::TimestampMs now) {
  require_writable();
  if (native_query(sql_, backend_,
                   "UPDATE call_matches SET status = 'returned', returned_at = ? WHERE id = ? AND "
                   "status = 'active' RETURNING id",
                   {now, m.id})
          .empty())
    return false;
  native_query(sql_, backend_,
               "UPDATE calls SET committed_cents = committed_cents - ? WHERE id = ?",
               {m.amount_cents, m.call_id});
  native_query(sql_, backend_,
               "UPDATE call_applications SET matched_cents = matched_cents - ? WHERE call_id = ? "
               "AND campaign_id = ?",
               {m.amount_cents, m.call_id, m.campaign_id});
  return true;
}

}  // namespace essor::store
