#include "store/sql_tx.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_org_row.hpp"

namespace essor::store {
namespace {

using app::TimestampMs;

template <typename Row>
app::UserRecord user_from_row(const Row& row) {
  return app::UserRecord{get_text(row, 0), get_text(row, 1), get_text(row, 2),    get_text(row, 3),
                         get_text(row, 4), get_i64(row, 5),  get_opt_i64(row, 6), get_text(row, 7)};
}

constexpr const char* kUserColumns =
    "SELECT id, email, email_norm, display_name, password_hash, created_at, email_verified_at, "
    "wallet_id FROM users ";

constexpr const char* kSessionColumns =
    "SELECT token_hash, user_id, created_at, expires_at, last_seen_at FROM sessions ";

app::SessionRecord session_from_row(const soci::row& row) {
  return app::SessionRecord{get_text(row, 0), get_text(row, 1), get_i64(row, 2), get_i64(row, 3),
                            get_i64(row, 4)};
}

// A session joined to its person (user_from_row's columns, then the
// session's), by its token's hash; expiry is checked by the caller, so
// that one read serves any time.
#define ESSOR_SESSION_WITH_USER                                                                 \
  "SELECT u.id, u.email, u.email_norm, u.display_name, u.password_hash, u.created_at, "         \
  "u.email_verified_at, u.wallet_id, s.created_at, s.expires_at, s.last_seen_at, s.token_hash " \
  "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash "
constexpr char kSessionWithUser[] = ESSOR_SESSION_WITH_USER "= ?";
constexpr char kSessionsWithUsers[] = ESSOR_SESSION_WITH_USER "= ANY(?::text[])";

#define ESSOR_ORG_COLUMNS "SELECT " ESSOR_ORG_COLUMN_LIST "FROM orgs o "
constexpr const char* kOrgColumns = ESSOR_ORG_COLUMNS;

}  // namespace

void SqlTx::require_writable() const {
  if (mode_ != Mode::read_write) throw std::logic_error("write inside a read transaction");
}

std::optional<app::UserRecord> SqlTx::user_by_id(const core::UserId& id) {
  soci::rowset<soci::row> rows = (sql_.prepare << kUserColumns << "WHERE id = :id", soci::use(id));
  for (const auto& row : rows) return user_from_row(row);
  return std::nullopt;
}

std::optional<app::UserRecord> SqlTx::user_by_email(const std::string& email_norm) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kUserColumns << "WHERE email_norm = :e", soci::use(email_norm));
  for (const auto& row : rows) return user_from_row(row);
  return std::nullopt;
}

bool SqlTx::insert_user(const app::UserRecord& user) {
  require_writable();
  long long created_at = user.created_at;
  soci::statement st =
      (sql_.prepare << "INSERT INTO users (id, email, email_norm, display_name, password_hash, "
                       "created_at, wallet_id) VALUES (:id, :email, :norm, :name, :hash, :at, "
                       ":wallet) ON CONFLICT (email_norm) DO NOTHING",
       soci::use(user.id), soci::use(user.email), soci::use(user.email_norm),
       soci::use(user.display_name), soci::use(user.password_hash), soci::use(created_at),
       soci::use(user.wallet_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::map<core::UserId, app::UserRecord> SqlTx::users_by_ids(const std::vector<core::UserId>& ids) {
  std::map<core::UserId, app::UserRecord> out;
  if (ids.empty()) return out;
  const auto rows = native_query(sql_, backend_,
                                 "SELECT id, email, email_norm, display_name, password_hash, "
                                 "created_at, email_verified_at, wallet_id FROM users WHERE id IN "
                                 "ID_LIST(?)",
                                 {json_ids(ids)});
  for (const auto& row : rows) {
    auto user = user_from_row(row);
    const core::UserId id = user.id;
    out.emplace(id, std::move(user));
  }
  return out;
}

std::string SqlTx::wallet_of(const core::UserId& user_id) {
  std::string wallet;
  soci::indicator ind = soci::i_null;
  sql_ << "SELECT wallet_id FROM users WHERE id = :id", soci::use(user_id), soci::into(wallet, ind);
  if (!sql_.got_data() || ind != soci::i_ok)
    throw std::logic_error("no wallet for user " + user_id);
  return wallet;
}

void SqlTx::insert_session(const app::SessionRecord& session) {
  require_writable();
  long long created_at = session.created_at, expires_at = session.expires_at,
            seen = session.last_seen_at;
  sql_ << "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) "
          "VALUES (:h, :u, :c, :e, :s)",
      soci::use(session.token_hash), soci::use(session.user_id), soci::use(created_at),
      soci::use(expires_at), soci::use(seen);
}

std::optional<app::SessionRecord> SqlTx::live_session(const std::string& token_hash,
                                                      TimestampMs now) {
  long long at = now;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kSessionColumns << "WHERE token_hash = :h AND expires_at > :now",
       soci::use(token_hash), soci::use(at));
  for (const auto& row : rows) return session_from_row(row);
  return std::nullopt;
}

std::optional<std::pair<app::SessionRecord, app::UserRecord>> SqlTx::live_session_with_user(
    const std::string& token_hash, TimestampMs now) {
  // A pledge's write reads it (Accounts::asker), perhaps read ahead for
  // its batch (read_sessions_ahead); held rows (pledges, transfers) write
  // neither table.
  const auto rows = native_query_kept(sql_, backend_, kSessionWithUser, {token_hash},
                                      {"sessions", "users"}, Held::unaffected);
  // One row at most (token_hash is unique); expiry is checked here.
  if (rows.empty() || get_i64(rows.front(), 9) <= now) return std::nullopt;
  const auto& row = rows.front();
  auto user = user_from_row(row);
  app::SessionRecord session{token_hash, user.id, get_i64(row, 8), get_i64(row, 9),
                             get_i64(row, 10)};
  return std::make_pair(std::move(session), std::move(user));
}

std::optional<app::ReaderRow> SqlTx::live_reader(const std::string& token_hash, TimestampMs now,
                                                 const app::ReaderQuestion& question) {
  // The balance is Tx::available_balance's: credits to the wallet, minus
  // its debits, minus withdrawals still requested.
  const auto rows = native_query(
      sql_, backend_,
      "SELECT u.id, u.email, u.email_norm, u.display_name, u.password_hash, u.created_at, "
      "u.email_verified_at, u.wallet_id, s.created_at, s.expires_at, s.last_seen_at, "
      "(SELECT role FROM memberships WHERE org_id = ? AND user_id = u.id), "
      "(SELECT COUNT(*) FROM notifications WHERE user_id = u.id AND read_at IS NULL), "
      "CAST((SELECT COALESCE(SUM(t.amount_cents), 0) FROM ledger_transfers t WHERE "
      "t.credit_account = 'wallet:' || u.wallet_id) - (SELECT COALESCE(SUM(t.amount_cents), 0) "
      "FROM ledger_transfers t WHERE t.debit_account = 'wallet:' || u.wallet_id) - (SELECT "
      "COALESCE(SUM(w.amount_cents), 0) FROM withdrawals w WHERE w.user_id = u.id AND w.status = "
      "'requested') AS BIGINT), "
      "(SELECT COUNT(*) FROM follows f WHERE f.user_id = u.id AND f.target_type = ? AND "
      "f.target_id = ?) "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > "
      "?",
      {question.org_id, core::to_string(question.follow_type), question.follow_id, token_hash,
       std::int64_t{now}});
  for (const auto& row : rows) {
    app::ReaderRow out;
    out.user = user_from_row(row);
    out.session = app::SessionRecord{token_hash, out.user.id, get_i64(row, 8), get_i64(row, 9),
                                     get_i64(row, 10)};
    if (auto role = row.opt(11)) out.role = known(core::parse_role, *role);
    out.unread = row.i64(12);
    out.balance = row.i64(13);
    out.following = row.i64(14) > 0;
    return out;
  }
  return std::nullopt;
}

void SqlTx::delete_session(const std::string& token_hash) {
  require_writable();
  sql_ << "DELETE FROM sessions WHERE token_hash = :h", soci::use(token_hash);
}

std::vector<app::SessionRecord> SqlTx::sessions_of_user(const core::UserId& user_id,
                                                        TimestampMs now) {
  long long at = now;
  std::vector<app::SessionRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kSessionColumns
                    << "WHERE user_id = :u AND expires_at > :now ORDER BY last_seen_at DESC, "
                       "token_hash",
       soci::use(user_id), soci::use(at));
  for (const auto& row : rows) out.push_back(session_from_row(row));
  return out;
}

void SqlTx::delete_sessions_of_user(const core::UserId& user_id, const std::string& keep_hash) {
  require_writable();
  sql_ << "DELETE FROM sessions WHERE user_id = :u AND token_hash <> :k", soci::use(user_id),
      soci::use(keep_hash);
}

void SqlTx::touch_session(const std::string& token_hash, TimestampMs now) {
  require_writable();
  long long at = now;
  sql_ << "UPDATE sessions SET last_seen_at = :at WHERE token_hash = :h", soci::use(at),
      soci::use(token_hash);
}

void SqlTx::set_email_verified(const core::UserId& user_id, TimestampMs at) {
  require_writable();
  long long when = at;
  sql_ << "UPDATE users SET email_verified_at = COALESCE(email_verified_at, :at) WHERE id = :u",
      soci::use(when), soci::use(user_id);
}

void SqlTx::set_password_hash(const core::UserId& user_id, const std::string& hash) {
  require_writable();
  sql_ << "UPDATE users SET password_hash = :h WHERE id = :u", soci::use(hash), soci::use(user_id);
}

void SqlTx::insert_one_time_token(const app::OneTimeTokenRecord& token) {
  require_writable();
  long long created = token.created_at, expires = token.expires_at;
  sql_ << "INSERT INTO one_time_tokens (token_hash, purpose, user_id, email_norm, created_at, "
          "expires_at) VALUES (:h, :p, :u, :e, :c, :x)",
      soci::use(token.token_hash), soci::use(token.purpose), soci::use(token.user_id),
      soci::use(token.email_norm), soci::use(created), soci::use(expires);
}

std::optional<app::OneTimeTokenRecord> SqlTx::use_one_time_token(const std::string& token_hash,
                                                                 const std::string& purpose,
                                                                 TimestampMs now) {
  require_writable();
  long long at = now, at2 = now;
  // One guarded statement: of racing requests, only one gets the row back.
  soci::rowset<soci::row> rows =
      (sql_.prepare << "UPDATE one_time_tokens SET used_at = :at WHERE token_hash = :h AND "
                       "purpose = :p AND used_at IS NULL AND expires_at > :now "
                       "RETURNING token_hash, purpose, user_id, email_norm, created_at, "
                       "expires_at",
       soci::use(at), soci::use(token_hash), soci::use(purpose), soci::use(at2));
  for (const auto& row : rows) {
    return app::OneTimeTokenRecord{get_text(row, 0), get_text(row, 1), get_text(row, 2),
                                   get_text(row, 3), get_i64(row, 4),  get_i64(row, 5)};
  }
  return std::nullopt;
}

void SqlTx::drop_one_time_tokens(const core::UserId& user_id, const std::string& purpose) {
  require_writable();
  sql_ << "DELETE FROM one_time_tokens WHERE user_id = :u AND purpose = :p AND used_at IS NULL",
      soci::use(user_id), soci::use(purpose);
}

app::ThrottleState SqlTx::throttle_state(const std::string& key) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT failures, last_at, next_at FROM login_throttle WHERE key = :k",
       soci::use(key));
  for (const auto& row : rows) {
    return app::ThrottleState{get_i64(row, 0), get_i64(row, 1), get_i64(row, 2)};
  }
  return {};
}

bool SqlTx::throttle_advance(const std::string& key, std::int64_t expected_failures,
                             const app::ThrottleState& next) {
  require_writable();
  long long expected = expected_failures, failures = next.failures, last = next.last_at,
            at = next.next_at;
  if (expected == 0) {
    // A key not seen yet, or one whose count was cleared: start it.
    soci::statement insert =
        (sql_.prepare << "INSERT INTO login_throttle (key, failures, last_at, next_at) "
                         "VALUES (:k, :f, :l, :n) ON CONFLICT (key) DO NOTHING",
         soci::use(key), soci::use(failures), soci::use(last), soci::use(at));
    insert.execute(true);
    if (insert.get_affected_rows() == 1) return true;
  }
  soci::statement st =
      (sql_.prepare << "UPDATE login_throttle SET failures = :f, last_at = :l, next_at = :n "
                       "WHERE key = :k AND failures = :e",
       soci::use(failures), soci::use(last), soci::use(at), soci::use(key), soci::use(expected));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlTx::throttle_clear(const std::string& key) {
  require_writable();
  sql_ << "UPDATE login_throttle SET failures = 0, next_at = 0 WHERE key = :k", soci::use(key);
}

void SqlTx::throttle_forgive(const std::string& key) {
  require_writable();
  sql_ << "UPDATE login_throttle SET failures = failures - 1 WHERE key = :k AND failures > 0",
      soci::use(key);
}

std::int64_t SqlTx::rate_hit(const std::string& key, TimestampMs window_start) {
  require_writable();
  // One statement, no read-then-write: safe with several processes.
  // Its own table: rows held for a batch (store/native.hpp) wait.
  const std::int64_t start = window_start;
  for (const auto& row : native_query(
           sql_, backend_,
           "INSERT INTO rate_counters (key, window_start, hits) VALUES (?, ?, 1) "
           "ON CONFLICT (key) DO UPDATE SET "
           "hits = CASE WHEN rate_counters.window_start < ? THEN 1 ELSE rate_counters.hits + 1 "
           "END, window_start = CASE WHEN rate_counters.window_start < ? THEN ? ELSE "
           "rate_counters.window_start END RETURNING hits",
           {key, start, start, start, start}, Held::unaffected))
    return row.i64(0);
  return 0;
}

void SqlTx::insert_org(const app::OrgRecord& org) {
  require_writable();
  Nullable siren(org.siren), region(org.region), department(org.department), iban(org.iban),
      bic(org.bic);
  long long created_at = org.created_at, dues = org.voting_requires_dues ? 1 : 0;
  const std::string form = core::to_string(org.legal_form);
  sql_ << "INSERT INTO orgs (id, name, legal_form, description, siren, region, department, iban, "
          "bic, created_by, created_at, voting_requires_dues) VALUES (:id, :name, :form, :descr, "
          ":siren, :region, :dept, :iban, :bic, :by, :at, :dues)",
      soci::use(org.id), soci::use(org.name), soci::use(form), soci::use(org.description),
      soci::use(siren.text, siren.indicator), soci::use(region.text, region.indicator),
      soci::use(department.text, department.indicator), soci::use(iban.text, iban.indicator),
      soci::use(bic.text, bic.indicator), soci::use(org.created_by), soci::use(created_at),
      soci::use(dues);
}

void SqlTx::update_org(const app::OrgRecord& org) {
  require_writable();
  Nullable siren(org.siren), region(org.region), department(org.department), iban(org.iban),
      bic(org.bic);
  long long dues = org.voting_requires_dues ? 1 : 0;
  const std::string form = core::to_string(org.legal_form);
  sql_ << "UPDATE orgs SET name = :name, legal_form = :form, description = :descr, siren = :siren, "
          "region = :region, department = :dept, iban = :iban, bic = :bic, "
          "voting_requires_dues = :dues WHERE id = :id",
      soci::use(org.name), soci::use(form), soci::use(org.description),
      soci::use(siren.text, siren.indicator), soci::use(region.text, region.indicator),
      soci::use(department.text, department.indicator), soci::use(iban.text, iban.indicator),
      soci::use(bic.text, bic.indicator), soci::use(dues), soci::use(org.id);
}

std::optional<app::OrgRecord> SqlTx::org_by_id(const core::OrgId& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_ORG_COLUMNS "WHERE o.id = ?", {id}))
    return org_from_row(row);
  return std::nullopt;
}

std::vector<app::OrgRecord> SqlTx::query_orgs(const std::string& where_sql,
                                              const std::string& param, std::int64_t limit,
                                              std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::OrgRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kOrgColumns << where_sql
                    << " ORDER BY o.created_at DESC, o.id LIMIT :lim OFFSET :off",
       soci::use(param), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(org_from_row(row));
  return out;
}

std::vector<app::OrgRecord> SqlTx::list_orgs(std::int64_t limit, std::int64_t offset) {
  // The parameter keeps one code path; '' never equals an id.
  return query_orgs("WHERE o.id <> :p", "", limit, offset);
}

std::vector<app::OrgOfUser> SqlTx::orgs_of_user(const core::UserId& user_id) {
  std::vector<app::OrgOfUser> out;
  for (const auto& row :
       native_query(sql_, backend_,
                    "SELECT " ESSOR_ORG_COLUMN_LIST
                    ", m.role FROM orgs o JOIN memberships m ON m.org_id = o.id WHERE m.user_id = "
                    "? ORDER BY o.created_at DESC, o.id",
                    {user_id}))
    out.push_back({org_from_row(row), known(core::parse_role, row.text(12))});
  return out;
}

std::optional<core::Role> SqlTx::member_role(const core::OrgId& org_id,
                                             const core::UserId& user_id) {
  for (const auto& row :
       native_query(sql_, backend_, "SELECT role FROM memberships WHERE org_id = ? AND user_id = ?",
                    {org_id, user_id})) {
    return known(core::parse_role, row.text(0));
  }
  return std::nullopt;
}

bool SqlTx::insert_member(const core::OrgId& org_id, const core::UserId& user_id,
                          core::Role role_value, TimestampMs joined_at) {
  require_writable();
  long long at = joined_at;
  const std::string role = core::to_string(role_value);
  soci::statement st =
      (sql_.prepare << "INSERT INTO memberships (org_id, user_id, role, joined_at) "
                       "VALUES (:o, :u, :r, :at) ON CONFLICT (org_id, user_id) DO NOTHING",
       soci::use(org_id), soci::use(user_id), soci::use(role), soci::use(at));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool SqlTx::delete_member(const core::OrgId& org_id, const core::UserId& user_id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "DELETE FROM memberships WHERE org_id = :o AND user_id = :u",
       soci::use(org_id), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::int64_t SqlTx::count_members_with_role(const core::OrgId& org_id, core::Role role_value) {
  const std::string role = core::to_string(role_value);
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT COUNT(*) FROM memberships WHERE org_id = :o AND role = :r",
       soci::use(org_id), soci::use(role));
  for (const auto& row : rows) return get_i64(row, 0);
  return 0;
}

std::int64_t SqlTx::count_members(const core::OrgId& org_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT COUNT(*) FROM memberships WHERE org_id = :o", soci::use(org_id));
  for (const auto& row : rows) return get_i64(row, 0);
  return 0;
}

namespace {
// m.user_id, u.display_name, m.role, m.joined_at
app::MemberRecord member_from_row(const soci::row& row) {
  return app::MemberRecord{get_text(row, 0), get_text(row, 1),
                           known(core::parse_role, get_text(row, 2)), get_i64(row, 3)};
}
}  // namespace

std::vector<app::MemberRecord> SqlTx::members(const core::OrgId& org_id, std::int64_t limit,
                                              std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::MemberRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT m.user_id, u.display_name, m.role, m.joined_at FROM memberships m "
                       "JOIN users u ON u.id = m.user_id WHERE m.org_id = :o "
                       "ORDER BY m.joined_at, m.user_id LIMIT :lim OFFSET :off",
       soci::use(org_id), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(member_from_row(row));
  return out;
}

std::vector<app::MemberRecord> SqlTx::members_with_roles(const core::OrgId& org_id,
                                                         const std::vector<core::Role>& roles) {
  // Three bound roles, the unwanted ones bound to a role nobody has.
  std::array<std::string, 3> wanted;
  const std::array<core::Role, 3> every{core::Role::member, core::Role::treasurer,
                                        core::Role::admin};
  for (std::size_t idx = 0; idx < every.size(); ++idx) {
    if (roles.empty() || std::find(roles.begin(), roles.end(), every[idx]) != roles.end())
      wanted[idx] = core::to_string(every[idx]);
  }
  std::vector<app::MemberRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT m.user_id, u.display_name, m.role, m.joined_at FROM memberships m "
                       "JOIN users u ON u.id = m.user_id WHERE m.org_id = :o "
                       "AND m.role IN (:r0, :r1, :r2) ORDER BY m.joined_at, m.user_id",
       soci::use(org_id), soci::use(wanted[0]), soci::use(wanted[1]), soci::use(wanted[2]));
  for (const auto& row : rows) out.push_back(member_from_row(row));
  return out;
}

void read_sessions_ahead(soci::session& sql, const std::vector<std::string>& token_hashes) {
  std::vector<Param> hashes(token_hashes.begin(), token_hashes.end());
  const auto rows = native_query(sql, Backend::postgresql, kSessionsWithUsers,
                                 {postgres_array(hashes)}, Held::unaffected);
  for (const auto& hash : token_hashes) {
    std::vector<NativeRow> found;
    for (const auto& row : rows)
      if (get_text(row, 11) == hash) found.push_back(row);
    native_keep(sql, Backend::postgresql, kSessionWithUser, {hash}, {"sessions", "users"},
                std::move(found));
  }
}

}  // namespace essor::store
