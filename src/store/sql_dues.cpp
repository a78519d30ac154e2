// SqlDues: membership plans and the dues paid under them.
#include "store/sql_dues.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

constexpr const char* kPlanColumns =
    "SELECT id, org_id, name, amount_cents, free_amount, min_amount_cents, period, voting, "
    "created_at FROM membership_plans ";

app::MembershipPlanRecord plan_from_row(const soci::row& row) {
  app::MembershipPlanRecord plan;
  plan.id = get_text(row, 0);
  plan.org_id = get_text(row, 1);
  plan.name = get_text(row, 2);
  plan.amount_cents = get_i64(row, 3);
  plan.free_amount = get_i64(row, 4) != 0;
  plan.min_amount_cents = get_i64(row, 5);
  plan.period = known(core::parse_membership_period, get_text(row, 6));
  plan.voting = get_i64(row, 7) != 0;
  plan.created_at = get_i64(row, 8);
  return plan;
}

}  // namespace

void SqlDues::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::optional<app::MembershipPlanRecord> SqlDues::plan_by_id(const std::string& id) {
  soci::rowset<soci::row> rows = (sql_.prepare << kPlanColumns << "WHERE id = :id", soci::use(id));
  for (const auto& row : rows) return plan_from_row(row);
  return std::nullopt;
}

std::vector<app::MembershipPlanRecord> SqlDues::plans_of(const core::OrgId& org_id) {
  std::vector<app::MembershipPlanRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kPlanColumns << "WHERE org_id = :o ORDER BY created_at, id",
       soci::use(org_id));
  for (const auto& row : rows) out.push_back(plan_from_row(row));
  return out;
}

namespace {

constexpr const char* kMembershipColumns =
    "SELECT m.id, m.org_id, m.user_id, m.plan_id, m.status, m.starts_on, m.ends_on, "
    "m.amount_cents, m.payment_method, m.reference, m.made_member, m.created_at, m.updated_at, "
    "p.name, u.display_name, o.name FROM paid_memberships m JOIN membership_plans p ON p.id = "
    "m.plan_id JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id ";

app::MembershipRecord membership_from_row(const soci::row& row) {
  app::MembershipRecord m;
  m.id = get_text(row, 0);
  m.org_id = get_text(row, 1);
  m.user_id = get_text(row, 2);
  m.plan_id = get_text(row, 3);
  m.status = known(core::parse_membership_status, get_text(row, 4));
  m.starts_on = get_text(row, 5);
  m.ends_on = get_text(row, 6);
  m.amount_cents = get_i64(row, 7);
  m.payment_method = known(core::parse_payment_method, get_text(row, 8));
  m.reference = get_text(row, 9);
  m.made_member = get_i64(row, 10) != 0;
  m.created_at = get_i64(row, 11);
  m.updated_at = get_i64(row, 12);
  m.plan_name = get_text(row, 13);
  m.display_name = get_text(row, 14);
  m.org_name = get_text(row, 15);
  return m;
}

}  // namespace

// where_and_order holds :a, and :b when there are two texts.
std::vector<app::MembershipRecord> SqlDues::query(const std::string& where_and_order,
                                                  const std::vector<std::string>& texts,
                                                  std::int64_t limit, std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::MembershipRecord> out;
  const std::string text = kMembershipColumns + where_and_order + " LIMIT :lim OFFSET :off";
  if (texts.size() == 2) {
    soci::rowset<soci::row> rows = (sql_.prepare << text, soci::use(texts[0]), soci::use(texts[1]),
                                    soci::use(lim), soci::use(off));
    for (const auto& row : rows) out.push_back(membership_from_row(row));
  } else {
    soci::rowset<soci::row> rows =
        (sql_.prepare << text, soci::use(texts.at(0)), soci::use(lim), soci::use(off));
    for (const auto& row : rows) out.push_back(membership_from_row(row));
  }
  return out;
}

std::optional<app::MembershipRecord> SqlDues::membership_by_id(const std::string& id) {
  auto rows = query("WHERE m.id = :a", {id}, 1, 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::MembershipRecord> SqlDues::memberships_of_org(
    const core::OrgId& org_id, std::optional<core::MembershipStatus> status, std::int64_t limit,
    std::int64_t offset) {
  if (status) {
    return query(
        "WHERE m.org_id = :a AND m.status = :b "
        "ORDER BY m.created_at DESC, m.id",
        {org_id, core::to_string(*status)}, limit, offset);
  }
  return query("WHERE m.org_id = :a ORDER BY m.created_at DESC, m.id", {org_id}, limit, offset);
}

std::vector<app::MembershipRecord> SqlDues::memberships_of_user(const core::UserId& user_id) {
  return query("WHERE m.user_id = :a ORDER BY m.created_at DESC, m.id", {user_id}, 500, 0);
}

std::vector<core::UserId> SqlDues::voters_with_dues(const core::OrgId& org_id,
                                                    const std::string& on) {
  std::vector<core::UserId> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT DISTINCT m.user_id FROM paid_memberships m JOIN membership_plans p "
                       "ON p.id = m.plan_id WHERE m.org_id = :o AND p.voting = 1 AND m.status = "
                       "'active' AND m.starts_on <= :d1 AND m.ends_on >= :d2 ORDER BY m.user_id",
       soci::use(org_id), soci::use(on), soci::use(on));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

bool SqlDues::has_voting_dues(const core::OrgId& org_id, const core::UserId& user_id,
                              const std::string& except_id) {
  long long count = 0;
  sql_ << "SELECT COUNT(*) FROM paid_memberships m JOIN membership_plans p ON p.id = m.plan_id "
          "WHERE m.org_id = :o AND m.user_id = :u AND m.id <> :x AND p.voting = 1 AND "
          "m.status = 'active'",
      soci::use(org_id), soci::use(user_id), soci::use(except_id), soci::into(count);
  return count > 0;
}

std::vector<app::MembershipRecord> SqlDues::to_remind(const std::string& by, std::int64_t limit) {
  return query(
      "WHERE m.status = 'active' AND m.reminded_at IS NULL AND m.ends_on <= :a "
      "ORDER BY m.ends_on, m.id",
      {by}, limit, 0);
}

std::vector<app::MembershipRecord> SqlDues::ended_before(const std::string& today,
                                                         std::int64_t limit) {
  return query("WHERE m.status = 'active' AND m.ends_on < :a ORDER BY m.ends_on, m.id", {today},
               limit, 0);
}

void SqlDues::insert_plan(const app::MembershipPlanRecord& p) {
  require_writable();
  long long amount = p.amount_cents, free = p.free_amount ? 1 : 0, min = p.min_amount_cents,
            voting = p.voting ? 1 : 0, at = p.created_at;
  const std::string period = core::to_string(p.period);
  sql_ << "INSERT INTO membership_plans (id, org_id, name, amount_cents, free_amount, "
          "min_amount_cents, period, voting, created_at) VALUES (:id, :o, :n, :a, :f, :m, :p, :v, "
          ":at)",
      soci::use(p.id), soci::use(p.org_id), soci::use(p.name), soci::use(amount), soci::use(free),
      soci::use(min), soci::use(period), soci::use(voting), soci::use(at);
}

void SqlDues::insert_membership(const app::MembershipRecord& m) {
  require_writable();
  long long amount = m.amount_cents, made = m.made_member ? 1 : 0, created = m.created_at,
            updated = m.updated_at;
  const std::string status = core::to_string(m.status), method = core::to_string(m.payment_method);
  sql_ << "INSERT INTO paid_memberships (id, org_id, user_id, plan_id, status, starts_on, ends_on, "
          "amount_cents, payment_method, reference, made_member, created_at, updated_at) VALUES "
          "(:id, :o, :u, :p, :s, :b, :e, :a, :pm, :r, :mm, :c, :up)",
      soci::use(m.id), soci::use(m.org_id), soci::use(m.user_id), soci::use(m.plan_id),
      soci::use(status), soci::use(m.starts_on), soci::use(m.ends_on), soci::use(amount),
      soci::use(method), soci::use(m.reference), soci::use(made), soci::use(created),
      soci::use(updated);
}

bool SqlDues::transition_membership(const std::string& id, core::MembershipStatus from,
                                    core::MembershipStatus to, core::TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string from_text = core::to_string(from), to_text = core::to_string(to);
  soci::statement st = (sql_.prepare << "UPDATE paid_memberships SET status = :t, updated_at = :at "
                                        "WHERE id = :id AND status = :f",
                        soci::use(to_text), soci::use(at), soci::use(id), soci::use(from_text));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlDues::set_made_member(const std::string& id) {
  require_writable();
  sql_ << "UPDATE paid_memberships SET made_member = 1 WHERE id = :id", soci::use(id);
}

bool SqlDues::mark_reminded(const std::string& id, core::TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st = (sql_.prepare << "UPDATE paid_memberships SET reminded_at = :at WHERE id = "
                                        ":id AND reminded_at IS NULL",
                        soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<app::AnnouncedPayment> SqlBooks::payment_by_reference(const std::string& reference) {
  // Both references are unique (their tables' constraints) and apart by
  // their prefix; each lookup is one indexed read.
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT 'pledge', p.id, c.org_id, p.amount_cents, p.status FROM pledges p "
                       "JOIN campaigns c ON c.id = p.campaign_id WHERE p.reference = :r1 "
                       "UNION ALL SELECT 'membership', m.id, m.org_id, m.amount_cents, m.status "
                       "FROM paid_memberships m WHERE m.reference = :r2",
       soci::use(reference), soci::use(reference));
  for (const auto& row : rows) {
    app::AnnouncedPayment payment;
    payment.kind = get_text(row, 0) == "pledge" ? app::AnnouncedPayment::Kind::pledge
                                                : app::AnnouncedPayment::Kind::membership;
    payment.id = get_text(row, 1);
    payment.org_id = get_text(row, 2);
    payment.amount_cents = get_i64(row, 3);
    payment.pending = get_text(row, 4) == "pending";
    return payment;
  }
  return std::nullopt;
}

std::vector<core::BookEntry> SqlBooks::entries_of_org(const core::OrgId& org_id,
                                                      core::TimestampMs from,
                                                      core::TimestampMs to) {
  const std::string account = "org:" + org_id;
  long long since = from, until = to;
  std::vector<core::BookEntry> out;
  // Each of the three ways in is indexed; the union keeps a transfer once.
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT t.seq, t.id, t.debit_account, t.credit_account, t.amount_cents, "
                       "t.kind, t.pledge_id, t.campaign_id, t.created_at, t.prev_hash, t.hash, "
                       "c.title, c.kind FROM ledger_transfers t LEFT JOIN campaigns c ON c.id = "
                       "t.campaign_id WHERE t.seq IS NOT NULL AND t.created_at >= :f AND "
                       "t.created_at < :t AND (t.debit_account = :a1 OR t.credit_account = :a2 OR "
                       "c.org_id = :o) ORDER BY t.seq",
       soci::use(since), soci::use(until), soci::use(account), soci::use(account),
       soci::use(org_id));
  for (const auto& row : rows) {
    core::BookEntry entry;
    entry.transfer = transfer_from_row(row);
    entry.campaign_title = get_opt(row, 11).value_or("");
    entry.loan_campaign = get_opt(row, 12).value_or("") == "loan";
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace essor::store
