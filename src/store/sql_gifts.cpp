// SqlGifts: recurring gifts and their charges.
#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/sql_dues.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

constexpr const char* kGiftColumns =
    "SELECT g.id, g.org_id, g.user_id, g.amount_cents, g.frequency, g.status, g.payment_method, "
    "g.starts_on, g.period, g.next_charge_on, g.charges_count, g.attempts, g.retry_on, "
    "g.created_at, g.updated_at, u.display_name, o.name FROM recurring_gifts g JOIN users u ON "
    "u.id = g.user_id JOIN orgs o ON o.id = g.org_id ";

app::GiftRecord gift_from_row(const soci::row& row) {
  app::GiftRecord g;
  g.id = get_text(row, 0);
  g.org_id = get_text(row, 1);
  g.user_id = get_text(row, 2);
  g.amount_cents = get_i64(row, 3);
  g.interval = known(core::parse_gift_interval, get_text(row, 4));
  g.status = known(core::parse_gift_status, get_text(row, 5));
  g.payment_method = known(core::parse_payment_method, get_text(row, 6));
  g.starts_on = get_text(row, 7);
  g.period = get_i64(row, 8);
  g.next_charge_on = get_text(row, 9);
  g.charges_count = get_i64(row, 10);
  g.attempts = get_i64(row, 11);
  g.retry_on = get_opt(row, 12);
  g.created_at = get_i64(row, 13);
  g.updated_at = get_i64(row, 14);
  g.display_name = get_text(row, 15);
  g.org_name = get_text(row, 16);
  return g;
}

}  // namespace

void SqlGifts::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::vector<app::GiftRecord> SqlGifts::query(const std::string& where_and_order,
                                             const std::string& text, std::int64_t limit,
                                             std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::GiftRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << std::string(kGiftColumns) + where_and_order + " LIMIT :lim OFFSET :off",
       soci::use(text), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(gift_from_row(row));
  return out;
}

std::optional<app::GiftRecord> SqlGifts::gift_by_id(const std::string& id) {
  auto rows = query("WHERE g.id = :a", id, 1, 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::GiftRecord> SqlGifts::gifts_of_user(const core::UserId& user_id) {
  return query("WHERE g.user_id = :a ORDER BY g.created_at DESC, g.id", user_id, 500, 0);
}

std::vector<app::GiftRecord> SqlGifts::gifts_of_org(const core::OrgId& org_id, std::int64_t limit,
                                                    std::int64_t offset) {
  return query("WHERE g.org_id = :a ORDER BY g.created_at DESC, g.id", org_id, limit, offset);
}

std::vector<app::GiftRecord> SqlGifts::due_gifts(const std::string& today, std::int64_t limit) {
  return query(
      "WHERE g.status = 'active' AND COALESCE(g.retry_on, g.next_charge_on) <= :a "
      "ORDER BY g.next_charge_on, g.id",
      today, limit, 0);
}

void SqlGifts::insert_gift(const app::GiftRecord& g) {
  require_writable();
  long long amount = g.amount_cents, period = g.period, charges = g.charges_count,
            created = g.created_at, updated = g.updated_at;
  const std::string interval = core::to_string(g.interval), status = core::to_string(g.status),
                    method = core::to_string(g.payment_method);
  sql_ << "INSERT INTO recurring_gifts (id, org_id, user_id, amount_cents, frequency, status, "
          "payment_method, starts_on, period, next_charge_on, charges_count, attempts, retry_on, "
          "created_at, updated_at) VALUES (:id, :o, :u, :a, :i, :s, :m, :st, :p, :n, :c, 0, NULL, "
          ":cr, :up)",
      soci::use(g.id), soci::use(g.org_id), soci::use(g.user_id), soci::use(amount),
      soci::use(interval), soci::use(status), soci::use(method), soci::use(g.starts_on),
      soci::use(period), soci::use(g.next_charge_on), soci::use(charges), soci::use(created),
      soci::use(updated);
}

bool SqlGifts::record_charge(const app::GiftRecord& from, const std::string& next_on,
                             core::TimestampMs now) {
  require_writable();
  long long at = now, period = from.period, attempts = from.attempts;
  soci::statement st =
      (sql_.prepare << "UPDATE recurring_gifts SET period = period + 1, next_charge_on = :n, "
                       "charges_count = charges_count + 1, attempts = 0, retry_on = NULL, "
                       "updated_at = :at WHERE id = :id AND status = 'active' AND period = :p "
                       "AND attempts = :a",
       soci::use(next_on), soci::use(at), soci::use(from.id), soci::use(period),
       soci::use(attempts));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SqlGifts::record_decline(const app::GiftRecord& from,
                              const std::optional<std::string>& retry_on, core::TimestampMs now) {
  require_writable();
  long long at = now, period = from.period, attempts = from.attempts;
  Nullable retry(retry_on);
  // Without a retry left the gift is paused and the period stays due
  // (charged again if the giver resumes it).
  const std::string status = retry_on ? "active" : "paused";
  soci::statement st =
      (sql_.prepare << "UPDATE recurring_gifts SET attempts = attempts + 1, retry_on = :r, "
                       "status = :s, updated_at = :at WHERE id = :id AND status = 'active' AND "
                       "period = :p AND attempts = :a",
       soci::use(retry.text, retry.indicator), soci::use(status), soci::use(at), soci::use(from.id),
       soci::use(period), soci::use(attempts));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SqlGifts::change_gift(const app::GiftRecord& from, const app::GiftRecord& to,
                           core::TimestampMs now) {
  require_writable();
  long long at = now, amount = to.amount_cents, period = from.period, attempts = to.attempts;
  const std::string from_status = core::to_string(from.status), status = core::to_string(to.status);
  Nullable retry(to.retry_on);
  soci::statement st =
      (sql_.prepare << "UPDATE recurring_gifts SET amount_cents = :am, status = :s, next_charge_on "
                       "= :n, attempts = :a, retry_on = :r, updated_at = :at WHERE id = :id AND "
                       "status = :fs AND period = :p",
       soci::use(amount), soci::use(status), soci::use(to.next_charge_on), soci::use(attempts),
       soci::use(retry.text, retry.indicator), soci::use(at), soci::use(from.id),
       soci::use(from_status), soci::use(period));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlGifts::insert_charge(const std::string& id, const app::GiftRecord& gift, bool charged,
                             core::TimestampMs now) {
  require_writable();
  long long amount = gift.amount_cents, period = gift.period, attempt = gift.attempts, at = now;
  const std::string outcome = charged ? "charged" : "declined";
  sql_ << "INSERT INTO gift_charges (id, gift_id, period, attempt, due_on, amount_cents, outcome, "
          "created_at) VALUES (:id, :g, :p, :a, :d, :am, :o, :at)",
      soci::use(id), soci::use(gift.id), soci::use(period), soci::use(attempt),
      soci::use(gift.next_charge_on), soci::use(amount), soci::use(outcome), soci::use(at);
}

}  // namespace essor::store
