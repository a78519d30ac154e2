// SqlTx: campaigns, rewards, pledges, idempotency keys.
#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_org_row.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {

namespace {

using app::TimestampMs;

// A campaign's columns, its description given apart (DESCRIPTION: the
// column, or an empty text in its place for a read that does not need it).
#define ESSOR_CAMPAIGN_COLUMN_LIST_WITH(DESCRIPTION)                      \
  "c.id, c.org_id, c.title, c.summary, " DESCRIPTION                      \
  ", c.category, c.kind, "                                                \
  "c.funding_model, c.status, c.goal_cents, c.ends_at, c.reject_reason, " \
  "c.loan_annual_rate_bp, c.loan_term_months, c.loan_repayment, "         \
  "c.loan_max_per_lender_cents, c.created_by, c.created_at, c.published_at, c.resolved_at "
#define ESSOR_CAMPAIGN_COLUMN_LIST ESSOR_CAMPAIGN_COLUMN_LIST_WITH("c.description_md")
#define ESSOR_CAMPAIGN_COLUMNS "SELECT " ESSOR_CAMPAIGN_COLUMN_LIST "FROM campaigns c "
constexpr const char* kCampaignColumns = ESSOR_CAMPAIGN_COLUMNS;

template <typename Row>
app::CampaignRecord campaign_from_row(const Row& row) {
  app::CampaignRecord c;
  c.id = get_text(row, 0);
  c.org_id = get_text(row, 1);
  c.title = get_text(row, 2);
  c.summary = get_text(row, 3);
  c.description_md = get_text(row, 4);
  c.category = get_text(row, 5);
  c.kind = known(core::parse_kind, get_text(row, 6));
  c.funding_model = known(core::parse_funding_model, get_text(row, 7));
  c.status = known(core::parse_status, get_text(row, 8));
  c.goal_cents = get_i64(row, 9);
  c.ends_at = get_i64(row, 10);
  c.reject_reason = get_opt(row, 11);
  if (const auto rate = get_opt_i64(row, 12).value) {
    c.loan = core::LoanTerms{*rate, get_opt_i64(row, 13).value.value_or(0),
                             get_opt(row, 14).value_or(""), get_opt_i64(row, 15)};
  }
  c.created_by = get_text(row, 16);
  c.created_at = get_i64(row, 17);
  c.published_at = get_opt_i64(row, 18);
  c.resolved_at = get_opt_i64(row, 19);
  return c;
}

constexpr const char* kPledgeFields =
    "p.id, p.campaign_id, p.user_id, p.amount_cents, p.reward_id, p.status, p.payment_method, "
    "p.anonymous, p.message, p.reference, p.created_at, p.updated_at";

app::PledgeRecord pledge_from_row(const soci::row& row) {
  app::PledgeRecord p;
  p.id = get_text(row, 0);
  p.campaign_id = get_text(row, 1);
  p.user_id = get_text(row, 2);
  p.amount_cents = get_i64(row, 3);
  p.reward_id = get_opt(row, 4);
  p.status = known(core::parse_pledge_status, get_text(row, 5));
  p.payment_method = known(core::parse_payment_method, get_text(row, 6));
  p.anonymous = get_i64(row, 7) != 0;
  p.message = get_opt(row, 8);
  p.reference = get_text(row, 9);
  p.created_at = get_i64(row, 10);
  p.updated_at = get_i64(row, 11);
  return p;
}

// The loan columns of a campaign, as nullable parameters.
struct LoanParams {
  explicit LoanParams(const std::optional<core::LoanTerms>& loan)
      : rate(loan ? std::optional(loan->annual_rate_bp) : std::nullopt),
        term(loan ? std::optional(loan->term_months) : std::nullopt),
        repayment(loan ? std::optional(loan->repayment) : std::nullopt),
        max(loan ? loan->max_per_lender_cents : std::nullopt) {}
  NullableInt rate, term;
  Nullable repayment;
  NullableInt max;
};

}  // namespace

void SqlTx::insert_campaign(const app::CampaignRecord& c) {
  require_writable();
  LoanParams loan(c.loan);
  long long goal = c.goal_cents, ends = c.ends_at, created = c.created_at;
  const std::string status = core::to_string(c.status);
  const std::string kind = core::to_string(c.kind), model = core::to_string(c.funding_model);
  sql_ << "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
          "funding_model, status, goal_cents, ends_at, loan_annual_rate_bp, loan_term_months, "
          "loan_repayment, loan_max_per_lender_cents, created_by, created_at) VALUES (:id, :org, "
          ":title, :summary, :descr, :cat, :kind, :model, :status, :goal, :ends, :rate, :term, "
          ":rep, "
          ":max, :by, :at)",
      soci::use(c.id), soci::use(c.org_id), soci::use(c.title), soci::use(c.summary),
      soci::use(c.description_md), soci::use(c.category), soci::use(kind), soci::use(model),
      soci::use(status), soci::use(goal), soci::use(ends),
      soci::use(loan.rate.number, loan.rate.indicator),
      soci::use(loan.term.number, loan.term.indicator),
      soci::use(loan.repayment.text, loan.repayment.indicator),
      soci::use(loan.max.number, loan.max.indicator), soci::use(c.created_by), soci::use(created);
}

void SqlTx::update_campaign(const app::CampaignRecord& c) {
  require_writable();
  LoanParams loan(c.loan);
  Nullable reason(c.reject_reason);
  long long goal = c.goal_cents, ends = c.ends_at;
  const std::string kind = core::to_string(c.kind), model = core::to_string(c.funding_model);
  sql_ << "UPDATE campaigns SET title = :title, summary = :summary, description_md = :descr, "
          "category = :cat, kind = :kind, funding_model = :model, goal_cents = :goal, ends_at = "
          ":ends, "
          "reject_reason = :reason, loan_annual_rate_bp = :rate, loan_term_months = :term, "
          "loan_repayment = :rep, loan_max_per_lender_cents = :max WHERE id = :id",
      soci::use(c.title), soci::use(c.summary), soci::use(c.description_md), soci::use(c.category),
      soci::use(kind), soci::use(model), soci::use(goal), soci::use(ends),
      soci::use(reason.text, reason.indicator), soci::use(loan.rate.number, loan.rate.indicator),
      soci::use(loan.term.number, loan.term.indicator),
      soci::use(loan.repayment.text, loan.repayment.indicator),
      soci::use(loan.max.number, loan.max.indicator), soci::use(c.id);
}

std::optional<app::CampaignRecord> SqlTx::campaign_by_id(const core::CampaignId& id) {
  for (const auto& row :
       native_query(sql_, backend_, ESSOR_CAMPAIGN_COLUMNS "WHERE c.id = ?", {id}))
    return campaign_from_row(row);
  return std::nullopt;
}

// PostgreSQL: a campaign's money lock is its row's: KEY SHARE for pledges
// (as their foreign key takes anyway: they never wait for one another, nor
// for an edit of the campaign), UPDATE (which waits for every KEY SHARE,
// and they for it) for whoever decides on all of its money. A locking read
// waits for a locker that changes the row and then reads what it left.
// The organisation and the matching call come in the same statement (a
// pledge's reads are one round trip), the lock being the campaign's only.
// Without the two descriptions (empty texts in their places): a pledge
// never shows them, and a campaign's long one (up to 50,000 characters)
// was read and copied by every pledge into it (docs/performance.md).
#define ESSOR_CAMPAIGN_FOR_MONEY \
  "SELECT " ESSOR_CAMPAIGN_COLUMN_LIST_WITH("''")                                           \
  ", (SELECT a.call_id FROM call_applications a WHERE a.campaign_id = c.id AND a.status = " \
  "'accepted' LIMIT 1), " ESSOR_ORG_COLUMN_LIST_WITH("''")                                  \
  "FROM campaigns c LEFT JOIN orgs o ON o.id = c.org_id WHERE c.id = ?"
namespace {

// The campaign's row locked as mode says (PostgreSQL), with the rest.
Sql campaign_for_money_query(Backend backend, app::LockMode mode) {
  if (backend != Backend::postgresql) return ESSOR_CAMPAIGN_FOR_MONEY;
  if (mode == app::LockMode::shared) return ESSOR_CAMPAIGN_FOR_MONEY " FOR KEY SHARE OF c";
  return ESSOR_CAMPAIGN_FOR_MONEY " FOR UPDATE OF c";
}

}  // namespace

std::optional<app::CampaignForMoney> SqlTx::campaign_for_money(const core::CampaignId& id,
                                                               app::LockMode mode) {
  require_writable();
  // Reads no pledge, transfer or answer (nor totals): held rows wait. Read
  // once per batch of the writer while the batch leaves these tables as
  // they were (a batch's pledges mostly back one campaign); on PostgreSQL
  // the first read's lock lasts the batch.
  const auto rows =
      native_query_kept(sql_, backend_, campaign_for_money_query(backend_, mode), {id},
                        {"campaigns", "orgs", "call_applications"}, Held::unaffected);
  constexpr std::size_t kCall = 20, kOrg = 21;
  for (const auto& row : rows) {
    app::CampaignForMoney read{campaign_from_row(row), std::nullopt, row.opt(kCall)};
    if (!row.opt(kOrg)) return read;  // no organisation (never, by the foreign key)
    read.org = org_from_row(row, kOrg);
    return read;
  }
  return std::nullopt;
}
#undef ESSOR_CAMPAIGN_FOR_MONEY

void SqlTx::lock_campaign_money(const core::CampaignId& campaign_id, app::LockMode mode) {
  require_writable();
  if (backend_ != Backend::postgresql) return;
  if (mode == app::LockMode::shared) {
    native_query(sql_, backend_, "SELECT 1 FROM campaigns WHERE id = ? FOR KEY SHARE",
                 {campaign_id});
  } else {
    native_query(sql_, backend_, "SELECT 1 FROM campaigns WHERE id = ? FOR UPDATE", {campaign_id});
  }
}

namespace {

// The words of a search as an FTS5 query: punctuation becomes a space, each
// word is quoted and matched as a prefix, so nothing typed can reach FTS5's
// query syntax. Empty when no word is left.
std::string fts5_query(const std::string& text) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    out += (out.empty() ? "\"" : " \"") + word + "\"*";
    word.clear();
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

std::vector<app::CampaignRecord> SqlTx::list_campaigns(const app::CampaignFilter& filter) {
  // Every filter is a parameter; an absent one matches everything.
  const std::string status = filter.status ? core::to_string(*filter.status) : "",
                    category = filter.category.value_or(""),
                    org = filter.org_id ? filter.org_id->str() : "";
  const bool pg = backend_ == Backend::postgresql;
  const std::string search = filter.query ? (pg ? *filter.query : fts5_query(*filter.query)) : "";
  const std::string public_only =
      filter.status || filter.include_unpublished ? "" : "live,succeeded,failed";
#define ESSOR_LIST_WHERE                                                                        \
  "WHERE (? = '' OR c.status = ?) AND (? = '' OR c.category = ?) AND (? = '' OR c.org_id = ?) " \
  "AND (? = '' OR "
#define ESSOR_LIST_ORDER                                                   \
  ") AND (? = '' OR c.status IN ('live', 'succeeded', 'failed')) "         \
  "ORDER BY CASE c.status WHEN 'live' THEN 0 ELSE 1 END, c.ends_at, c.id " \
  "LIMIT ? OFFSET ?"
  const std::vector<Param> params = {status, status, category,    category,     org,          org,
                                     search, search, public_only, filter.limit, filter.offset};
  const auto rows =
      pg ? native_query(sql_, backend_,
                        ESSOR_CAMPAIGN_COLUMNS ESSOR_LIST_WHERE
                        "to_tsvector('french', c.title || ' ' || c.summary || ' ' || "
                        "c.description_md) @@ plainto_tsquery('french', ?)" ESSOR_LIST_ORDER,
                        params)
         : native_query(sql_, backend_,
                        ESSOR_CAMPAIGN_COLUMNS ESSOR_LIST_WHERE
                        "c.rowid IN (SELECT rowid FROM campaigns_fts WHERE campaigns_fts MATCH "
                        "?)" ESSOR_LIST_ORDER,
                        params);
#undef ESSOR_LIST_WHERE
#undef ESSOR_LIST_ORDER
  std::vector<app::CampaignRecord> out;
  for (const auto& row : rows) out.push_back(campaign_from_row(row));
  return out;
}

bool SqlTx::transition_campaign(const std::string& id, core::CampaignStatus from_status,
                                core::CampaignStatus to_status, TimestampMs now) {
  require_writable();
  long long at = now, at2 = now;
  const std::string from = core::to_string(from_status), to = core::to_string(to_status), to2 = to,
                    to3 = to;
  soci::statement st =
      (sql_.prepare << "UPDATE campaigns SET status = :to, "
                       "published_at = CASE WHEN :to2 = 'live' THEN :at ELSE published_at END, "
                       "resolved_at = CASE WHEN :to3 IN ('succeeded', 'failed') THEN :at2 ELSE "
                       "resolved_at END "
                       "WHERE id = :id AND status = :from",
       soci::use(to), soci::use(to2), soci::use(at), soci::use(to3), soci::use(at2), soci::use(id),
       soci::use(from));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<core::CampaignId> SqlTx::live_campaigns_ending_by(TimestampMs instant,
                                                              std::int64_t limit) {
  long long at = instant, lim = limit;
  std::vector<core::CampaignId> out;
  soci::rowset<soci::row> rows = (sql_.prepare << "SELECT id FROM campaigns WHERE status = 'live' "
                                                  "AND ends_at <= :at ORDER BY ends_at LIMIT :lim",
                                  soci::use(at), soci::use(lim));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

// Running totals (migration 14): a few shard rows per campaign, whatever
// its number of pledges.
app::CampaignTotals SqlTx::campaign_totals(const core::CampaignId& campaign_id) {
  app::CampaignTotals totals;
  const auto rows = native_query(sql_, backend_,
                                 "SELECT CAST(COALESCE(SUM(raised_cents), 0) AS BIGINT), "
                                 "CAST(COALESCE(SUM(pledged_cents), 0) AS BIGINT), "
                                 "CAST(COALESCE(SUM(backers), 0) AS BIGINT), "
                                 "CAST(COALESCE((SELECT SUM(matched_cents) FROM call_applications "
                                 "WHERE campaign_id = ?), 0) AS BIGINT) "
                                 "FROM campaign_stats WHERE campaign_id = ?",
                                 {campaign_id, campaign_id});
  for (const auto& row : rows) {
    totals.raised_cents = get_i64(row, 0);
    totals.pledged_cents = get_i64(row, 1);
    totals.backers_count = get_i64(row, 2);
    totals.matched_cents = get_i64(row, 3);
  }
  return totals;
}

std::map<std::string, app::CampaignSide> SqlTx::campaign_sides(
    const std::vector<std::string>& ids) {
  std::map<std::string, app::CampaignSide> out;
  if (ids.empty()) return out;
  const std::vector<Param> list = {json_ids(ids)};
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT c.id, o.name, cv.sha256, CAST(COALESCE(SUM(s.raised_cents), 0) AS BIGINT), "
           "CAST(COALESCE(SUM(s.pledged_cents), 0) AS BIGINT), CAST(COALESCE(SUM(s.backers), 0) "
           "AS BIGINT), CAST(COALESCE((SELECT SUM(a.matched_cents) FROM call_applications a "
           "WHERE a.campaign_id = c.id), 0) AS BIGINT) FROM campaigns c JOIN orgs o ON o.id = "
           "c.org_id LEFT JOIN campaign_covers cv ON cv.campaign_id = c.id LEFT JOIN "
           "campaign_stats s ON s.campaign_id = c.id WHERE c.id IN ID_LIST(?) GROUP BY c.id, "
           "o.name, cv.sha256",
           list)) {
    auto& side = out[row.text(0)];
    side.org_name = row.text(1);
    side.cover_hash = row.opt(2);
    side.totals = {row.i64(3), row.i64(4), row.i64(5), row.i64(6)};
  }
  for (const auto& row :
       native_query(sql_, backend_,
                    "SELECT id, campaign_id, position, title, description, min_amount_cents, "
                    "quantity_limit, claimed, value_cents FROM rewards WHERE campaign_id IN "
                    "ID_LIST(?) ORDER BY campaign_id, position",
                    list)) {
    out[row.text(1)].rewards.push_back({row.text(0), row.text(1), row.i64(2), row.text(3),
                                        row.text(4), row.i64(5), row.opt_i64(6), row.i64(7),
                                        row.opt_i64(8)});
  }
  return out;
}

void SqlTx::replace_rewards(const core::CampaignId& campaign_id,
                            const std::vector<app::RewardRecord>& rewards) {
  require_writable();
  sql_ << "DELETE FROM rewards WHERE campaign_id = :c", soci::use(campaign_id);
  for (const auto& r : rewards) {
    NullableInt limit(r.quantity_limit);
    NullableInt value(r.value_cents);
    long long position = r.position, min = r.min_amount_cents, claimed = r.claimed;
    sql_ << "INSERT INTO rewards (id, campaign_id, position, title, description, min_amount_cents, "
            "quantity_limit, claimed, value_cents) VALUES (:id, :c, :pos, :title, :descr, :min, "
            ":lim, :claimed, :value)",
        soci::use(r.id), soci::use(campaign_id), soci::use(position), soci::use(r.title),
        soci::use(r.description), soci::use(min), soci::use(limit.number, limit.indicator),
        soci::use(claimed), soci::use(value.number, value.indicator);
  }
}

std::vector<app::RewardRecord> SqlTx::rewards_of(const core::CampaignId& campaign_id) {
  std::vector<app::RewardRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare
           << "SELECT id, campaign_id, position, title, description, min_amount_cents, "
              "quantity_limit, claimed, value_cents FROM rewards WHERE campaign_id = :c ORDER "
              "BY position",
       soci::use(campaign_id));
  for (const auto& row : rows) {
    out.push_back({get_text(row, 0), get_text(row, 1), get_i64(row, 2), get_text(row, 3),
                   get_text(row, 4), get_i64(row, 5), get_opt_i64(row, 6), get_i64(row, 7),
                   get_opt_i64(row, 8)});
  }
  return out;
}

bool SqlTx::claim_reward(const std::string& reward_id) {
  require_writable();
  // One guarded statement (and a CHECK behind it): no read-then-write.
  soci::statement st =
      (sql_.prepare << "UPDATE rewards SET claimed = claimed + 1 WHERE id = :id AND "
                       "(quantity_limit IS NULL OR claimed < quantity_limit)",
       soci::use(reward_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlTx::release_reward(const std::string& reward_id) {
  require_writable();
  sql_ << "UPDATE rewards SET claimed = claimed - 1 WHERE id = :id AND claimed > 0",
      soci::use(reward_id);
}

void SqlTx::put_cover(const core::CampaignId& campaign_id, const app::CoverRecord& cover,
                      TimestampMs now) {
  require_writable();
  long long at = now;
  sql_ << "DELETE FROM campaign_covers WHERE campaign_id = :c", soci::use(campaign_id);
  sql_
      << "INSERT INTO campaign_covers (campaign_id, content_type, data_base64, sha256, updated_at) "
         "VALUES (:c, :t, :d, :h, :at)",
      soci::use(campaign_id), soci::use(cover.content_type), soci::use(cover.data_base64),
      soci::use(cover.sha256), soci::use(at);
}

std::optional<app::CoverRecord> SqlTx::cover_of(const core::CampaignId& campaign_id) {
  soci::rowset<soci::row> rows = (sql_.prepare << "SELECT content_type, data_base64, sha256 FROM "
                                                  "campaign_covers WHERE campaign_id = :c",
                                  soci::use(campaign_id));
  for (const auto& row : rows) {
    return app::CoverRecord{get_text(row, 0), get_text(row, 1), get_text(row, 2)};
  }
  return std::nullopt;
}

// The statements of a pledge's transaction are kept prepared (one round
// trip each on PostgreSQL, where SOCI would take three); its writes go
// with a later round trip (native_defer) or, in a group commit's batch on
// PostgreSQL, with the other pledges' as one statement (native_hold).
namespace {

#define ESSOR_PLEDGE_INSERT                                                          \
  "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, reward_id, status, " \
  "payment_method, anonymous, message, reference, created_at, updated_at) "
constexpr HeldWrite kPledgeRow{
    ESSOR_PLEDGE_INSERT "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ESSOR_PLEDGE_INSERT
    "SELECT id, campaign_id, user_id, amount_cents, reward_id, status, payment_method, "
    "anonymous, message, reference, created_at, updated_at FROM unnest(?::text[], ?::text[], "
    "?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], "
    "?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS r(id, campaign_id, user_id, "
    "amount_cents, reward_id, status, payment_method, anonymous, message, reference, "
    "created_at, updated_at, n) ORDER BY n"};
#undef ESSOR_PLEDGE_INSERT

}  // namespace

void SqlTx::insert_pledge(const app::PledgeRecord& p) {
  require_writable();
  // Held to the batch's end on PostgreSQL's writers (store/native.hpp).
  native_hold(sql_, backend_, kPledgeRow,
              {p.id, p.campaign_id, p.user_id, std::int64_t{p.amount_cents},
               p.reward_id ? Param{*p.reward_id} : Param{nullptr}, core::to_string(p.status),
               core::to_string(p.payment_method), std::int64_t{p.anonymous ? 1 : 0},
               p.message ? Param{*p.message} : Param{nullptr}, p.reference,
               std::int64_t{p.created_at}, std::int64_t{p.updated_at}});
}

std::vector<app::PledgeRecord> SqlTx::query_pledges(const std::string& where_sql,
                                                    const std::string& a, const std::string& b,
                                                    std::int64_t limit, std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::PledgeRecord> out;
  soci::rowset<soci::row> rows = (sql_.prepare << "SELECT " << kPledgeFields << " FROM pledges p "
                                               << where_sql << " LIMIT :lim OFFSET :off",
                                  soci::use(a), soci::use(b), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(pledge_from_row(row));
  return out;
}

std::vector<app::PledgeRecord> SqlTx::pending_transfers_before(TimestampMs before,
                                                               bool unnoticed_only,
                                                               std::int64_t limit) {
  long long at = before, lim = limit;
  std::vector<app::PledgeRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT " << kPledgeFields
                    << " FROM pledges p WHERE p.status = 'pending' AND p.payment_method = "
                       "'bank_transfer' AND "
                       "p.created_at <= :at"
                    << (unnoticed_only ? " AND p.expiry_notice_at IS NULL" : "")
                    << " ORDER BY p.created_at, p.id LIMIT :lim",
       soci::use(at), soci::use(lim));
  for (const auto& row : rows) out.push_back(pledge_from_row(row));
  return out;
}

bool SqlTx::mark_expiry_notice(const std::string& pledge_id, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st = (sql_.prepare << "UPDATE pledges SET expiry_notice_at = :at WHERE id = :id "
                                        "AND expiry_notice_at IS NULL",
                        soci::use(at), soci::use(pledge_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<app::PledgeRecord> SqlTx::pledge_by_id(const std::string& id) {
  auto found = query_pledges("WHERE p.id = :a AND :b = ''", id, "", 1, 0);
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool SqlTx::transition_pledge(const std::string& id, core::PledgeStatus from_status,
                              core::PledgeStatus to_status, TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string from = core::to_string(from_status), to = core::to_string(to_status);
  soci::statement st = (sql_.prepare << "UPDATE pledges SET status = :to, updated_at = :at "
                                        "WHERE id = :id AND status = :from",
                        soci::use(to), soci::use(at), soci::use(id), soci::use(from));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<app::PledgeOfUser> SqlTx::pledges_of_user(const core::UserId& user_id,
                                                      std::int64_t limit, std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::PledgeOfUser> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare
           << "SELECT " << kPledgeFields
           << ", c.title FROM pledges p JOIN campaigns c ON c.id = p.campaign_id "
              "WHERE p.user_id = :u ORDER BY p.created_at DESC, p.id LIMIT :lim OFFSET :off",
       soci::use(user_id), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back({pledge_from_row(row), get_text(row, 12)});
  return out;
}

std::vector<app::PledgeRecord> SqlTx::pledges_of_campaign(const core::CampaignId& campaign_id,
                                                          core::PledgeStatus status) {
  return query_pledges("WHERE p.campaign_id = :a AND p.status = :b ORDER BY p.created_at, p.id",
                       campaign_id, core::to_string(status), 1'000'000, 0);
}

std::vector<app::PledgeRecord> SqlTx::pending_pledges_of_org(const core::OrgId& org_id) {
  return query_pledges(
      "JOIN campaigns c ON c.id = p.campaign_id WHERE c.org_id = :a AND p.status = 'pending' AND "
      ":b = '' "
      "ORDER BY p.created_at, p.id",
      org_id, "", 1000, 0);
}

core::Cents SqlTx::pledged_by_user(const core::CampaignId& campaign_id,
                                   const core::UserId& user_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM pledges WHERE "
                       "campaign_id = :c AND "
                       "user_id = :u AND status IN ('pending', 'confirmed')",
       soci::use(campaign_id), soci::use(user_id));
  for (const auto& row : rows) return get_i64(row, 0);
  return 0;
}

namespace {

// A key with its answer, held to the batch's end like a pledge's row: with
// no conflict clause, a key that exists already (a replay, or the same key
// twice in one batch) fails the batch's statement, and the batch runs again
// unheld, each job claiming its key with a statement of its own.
#define ESSOR_KEY_INSERT \
  "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) "
constexpr HeldWrite kAnsweredKey{
    ESSOR_KEY_INSERT "VALUES (?, ?, ?, ?, ?, ?)", ESSOR_KEY_INSERT
    "SELECT user_id, key, request_hash, status, response, created_at FROM unnest(?::text[], "
    "?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[]) WITH ORDINALITY AS k(user_id, "
    "key, request_hash, status, response, created_at, n) ORDER BY n"};
#undef ESSOR_KEY_INSERT

// A key's stored answer; also how a key claimed on trust is looked up.
constexpr char kStoredResponse[] =
    "SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = ? AND key = ?";

}  // namespace

SqlTx::~SqlTx() {
  // A job kept without storing its key's answer keeps the claim, as a
  // claim's statement would have (status 0: "still running"); a job rolled
  // back drops it with its other held rows (SQLite: with its savepoint). A
  // job unwinding is rolled back.
  if (std::uncaught_exceptions() > 0) return;
  for (const auto& claim : held_claims_) {
    try {
      native_hold(sql_, backend_, kAnsweredKey,
                  {claim.user_id, claim.key, claim.request_hash, std::int64_t{0}, std::string(),
                   std::int64_t{claim.now}});
    } catch (...) {
      // A destructor cannot throw: out of memory (PostgreSQL's batch then
      // lacks this key) or SQLite's insert failing leaves the key free.
    }
  }
}

std::vector<SqlTx::HeldClaim>::iterator SqlTx::held_claim(const std::string& user_id,
                                                          const std::string& key) {
  return std::find_if(held_claims_.begin(), held_claims_.end(),
                      [&](const auto& each) { return each.user_id == user_id && each.key == key; });
}

bool SqlTx::claim_idempotency_key(const std::string& user_id, const std::string& key,
                                  const std::string& request_hash, TimestampMs now) {
  require_writable();
  // Claimed already in this transaction, not yet answered: taken, as its
  // row would say.
  if (held_claim(user_id, key) != held_claims_.end()) return false;
  if (native_write_locked(sql_, backend_)) {
    // SQLite's writer holds the database's write lock from its BEGIN
    // IMMEDIATE to its commit, and runs one job at a time: no other claim
    // can come between this look-up and the key's insert, with its answer
    // (store_response) or unanswered if the job is kept without one
    // (~SqlTx). A claim costs a look-up, and an answer one insert instead
    // of an insert and an update.
    if (!native_query(sql_, backend_, kStoredResponse, {user_id, key}).empty()) return false;
    held_claims_.push_back({user_id, key, request_hash, now});
    return true;
  }
  const bool holding = native_holding(sql_, backend_);
  if (holding && !native_held(sql_, backend_, kAnsweredKey, {user_id, key})) {
    // Written with its answer at the batch's end (kAnsweredKey): a claim
    // costs no statement of its own, and an answer no update.
    held_claims_.push_back({user_id, key, request_hash, now});
    // Should the work be refused, a key that existed is answered as before
    // (the batch runs again), not with this run's refusal.
    native_hold_check(sql_, backend_, kStoredResponse, {user_id, key});
    return true;
  }
  // Held pledges and transfers touch no key: they may wait. A key held by
  // an earlier job of this batch is sent first (if not yet), so that this
  // claim sees it.
  return native_changes(sql_, backend_,
                        "INSERT INTO idempotency_keys (user_id, key, request_hash, status, "
                        "response, created_at) VALUES (?, ?, ?, 0, '', ?) "
                        "ON CONFLICT (user_id, key) DO NOTHING",
                        {user_id, key, request_hash, std::int64_t{now}},
                        holding ? Held::release_first : Held::unaffected) == 1;
}

std::optional<app::StoredResponse> SqlTx::stored_response(const std::string& user_id,
                                                          const std::string& key) {
  if (const auto claim = held_claim(user_id, key); claim != held_claims_.end())
    return app::StoredResponse{claim->request_hash, 0, ""};  // still running
  for (const auto& row : native_query(sql_, backend_, kStoredResponse, {user_id, key})) {
    return app::StoredResponse{row.text(0), static_cast<int>(row.i64(1)), row.text(2)};
  }
  return std::nullopt;
}

void SqlTx::store_response(const std::string& user_id, const std::string& key, int status,
                           const std::string& body) {
  require_writable();
  if (const auto claim = held_claim(user_id, key); claim != held_claims_.end()) {
    native_hold(
        sql_, backend_, kAnsweredKey,
        {user_id, key, claim->request_hash, std::int64_t{status}, body, std::int64_t{claim->now}});
    held_claims_.erase(claim);
    return;
  }
  // Not held (store/native.hpp): as one statement for a batch, PostgreSQL
  // joined the keys by a plan made while the table was small (a scan of
  // the whole table), so each row is its own statement, sent with the
  // next. Held rows touch no key: it may go before them.
  native_defer(sql_, backend_,
               "UPDATE idempotency_keys SET status = ?, response = ? WHERE user_id = ? AND key = ?",
               {std::int64_t{status}, body, user_id, key}, Held::unaffected);
}

}  // namespace essor::store
