// SqlReceipts: tax receipts, their settings, donors' details and counters.
#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/sql_dues.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

constexpr const char* kReceiptColumns =
    "SELECT id, org_id, user_id, number, year, seq, kind, status, amount_cents, gift_cents, "
    "donor_name, donor_address, donor_postal_code, donor_city, source_kind, source_id, given_at, "
    "issued_at, cancelled_at, (SELECT o.name FROM orgs o WHERE o.id = receipts.org_id) FROM "
    "receipts ";

app::TaxReceiptRecord receipt_from_row(const soci::row& row) {
  app::TaxReceiptRecord r;
  r.id = get_text(row, 0);
  r.org_id = get_text(row, 1);
  r.user_id = get_text(row, 2);
  r.number = get_text(row, 3);
  r.year = get_i64(row, 4);
  r.seq = get_i64(row, 5);
  r.kind = known(core::parse_receipt_kind, get_text(row, 6));
  r.status = known(core::parse_receipt_status, get_text(row, 7));
  r.amount_cents = get_i64(row, 8);
  r.gift_cents = get_i64(row, 9);
  r.donor = {get_text(row, 10), get_text(row, 11), get_text(row, 12), get_text(row, 13)};
  r.source_kind = known(core::parse_receipt_source, get_text(row, 14));
  r.source_id = get_opt(row, 15);
  r.given_at = get_i64(row, 16);
  r.issued_at = get_i64(row, 17);
  r.cancelled_at = get_opt_i64(row, 18);
  r.org_name = get_text(row, 19);
  return r;
}

}  // namespace

void SqlReceipts::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::optional<app::ReceiptSettings> SqlReceipts::settings_of(const core::OrgId& org_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT org_id, enabled, legal_basis, object, address, signatory FROM "
                       "receipt_settings WHERE org_id = :o",
       soci::use(org_id));
  for (const auto& row : rows) {
    app::ReceiptSettings s;
    s.org_id = get_text(row, 0);
    s.enabled = get_i64(row, 1) != 0;
    s.legal_basis = known(core::parse_legal_basis, get_text(row, 2));
    s.object = get_text(row, 3);
    s.address = get_text(row, 4);
    s.signatory = get_text(row, 5);
    return s;
  }
  return std::nullopt;
}

std::optional<app::TaxReceiptRecord> SqlReceipts::receipt_by_id(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kReceiptColumns << "WHERE id = :id", soci::use(id));
  for (const auto& row : rows) return receipt_from_row(row);
  return std::nullopt;
}

std::vector<app::TaxReceiptRecord> SqlReceipts::receipts_of_user(const core::UserId& user_id) {
  std::vector<app::TaxReceiptRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kReceiptColumns << "WHERE user_id = :u ORDER BY issued_at DESC, id",
       soci::use(user_id));
  for (const auto& row : rows) out.push_back(receipt_from_row(row));
  return out;
}

std::vector<app::TaxReceiptRecord> SqlReceipts::receipts_of_org(const core::OrgId& org_id,
                                                                std::optional<std::int64_t> year,
                                                                std::int64_t limit,
                                                                std::int64_t offset) {
  std::vector<app::TaxReceiptRecord> out;
  long long y = year.value_or(0), any = year ? 0 : 1, lim = limit, off = offset;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kReceiptColumns
                    << "WHERE org_id = :o AND (year = :y OR :any = 1) ORDER BY year DESC, seq "
                       "DESC LIMIT :lim OFFSET :off",
       soci::use(org_id), soci::use(y), soci::use(any), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(receipt_from_row(row));
  return out;
}

std::optional<app::DonorDetails> SqlReceipts::request_for(core::ReceiptSource source_kind,
                                                          const std::string& source_id) {
  const std::string kind = core::to_string(source_kind);
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT full_name, address_line, postal_code, city FROM receipt_requests "
                       "WHERE source_kind = :k AND source_id = :i",
       soci::use(kind), soci::use(source_id));
  for (const auto& row : rows)
    return app::DonorDetails{get_text(row, 0), get_text(row, 1), get_text(row, 2),
                             get_text(row, 3)};
  return std::nullopt;
}

std::optional<app::DonorDetails> SqlReceipts::latest_request(const core::UserId& user_id,
                                                             const core::OrgId& org_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT full_name, address_line, postal_code, city FROM receipt_requests "
                       "WHERE user_id = :u AND org_id = :o ORDER BY created_at DESC LIMIT 1",
       soci::use(user_id), soci::use(org_id));
  for (const auto& row : rows)
    return app::DonorDetails{get_text(row, 0), get_text(row, 1), get_text(row, 2),
                             get_text(row, 3)};
  return std::nullopt;
}

std::vector<app::AnnualSource> SqlReceipts::annual_sources(const core::OrgId& org_id,
                                                           core::TimestampMs from,
                                                           core::TimestampMs to) {
  long long since = from, until = to;
  std::vector<app::AnnualSource> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT g.user_id, 'gift_charge', c.id, c.amount_cents FROM gift_charges c "
                       "JOIN recurring_gifts g ON g.id = c.gift_id WHERE g.org_id = :o1 AND "
                       "c.outcome = 'charged' AND c.created_at >= :f1 AND c.created_at < :t1 AND "
                       "NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.source_kind = "
                       "'gift_charge' AND l.source_id = c.id) "
                       "UNION ALL SELECT m.user_id, 'membership', m.id, m.amount_cents FROM "
                       "paid_memberships m WHERE m.org_id = :o2 AND m.status IN ('active', "
                       "'expired') AND m.updated_at >= :f2 AND m.updated_at < :t2 AND NOT EXISTS "
                       "(SELECT 1 FROM receipt_lines l WHERE l.source_kind = 'membership' AND "
                       "l.source_id = m.id) ORDER BY 1, 2, 3",
       soci::use(org_id), soci::use(since), soci::use(until), soci::use(org_id), soci::use(since),
       soci::use(until));
  for (const auto& row : rows)
    out.push_back({get_text(row, 0), known(core::parse_receipt_source, get_text(row, 1)),
                   get_text(row, 2), get_i64(row, 3)});
  return out;
}

std::vector<core::OrgId> SqlReceipts::orgs_issuing() {
  std::vector<core::OrgId> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT org_id FROM receipt_settings WHERE enabled = 1 ORDER BY org_id");
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

void SqlReceipts::put_settings(const app::ReceiptSettings& s) {
  require_writable();
  long long enabled = s.enabled ? 1 : 0;
  const std::string basis = core::to_string(s.legal_basis);
  sql_ << "INSERT INTO receipt_settings (org_id, enabled, legal_basis, object, address, "
          "signatory) VALUES (:o, :e, :b, :ob, :a, :s) ON CONFLICT (org_id) DO UPDATE SET "
          "enabled = excluded.enabled, legal_basis = excluded.legal_basis, object = "
          "excluded.object, address = excluded.address, signatory = excluded.signatory",
      soci::use(s.org_id), soci::use(enabled), soci::use(basis), soci::use(s.object),
      soci::use(s.address), soci::use(s.signatory);
}

void SqlReceipts::put_request(core::ReceiptSource source_kind, const std::string& source_id,
                              const core::UserId& user_id, const core::OrgId& org_id,
                              const app::DonorDetails& d, core::TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string kind = core::to_string(source_kind);
  sql_ << "INSERT INTO receipt_requests (source_kind, source_id, user_id, org_id, full_name, "
          "address_line, postal_code, city, created_at) VALUES (:k, :i, :u, :o, :n, :a, :p, :c, "
          ":at)",
      soci::use(kind), soci::use(source_id), soci::use(user_id), soci::use(org_id),
      soci::use(d.full_name), soci::use(d.address_line), soci::use(d.postal_code),
      soci::use(d.city), soci::use(at);
}

std::int64_t SqlReceipts::next_seq(const core::OrgId& org_id, std::int64_t year) {
  require_writable();
  long long y = year, last = 0;
  sql_ << "INSERT INTO receipt_counters (org_id, year, last) VALUES (:o, :y, 0) ON CONFLICT "
          "(org_id, year) DO NOTHING",
      soci::use(org_id), soci::use(y);
  // The row is locked to the end of the transaction on PostgreSQL; SQLite
  // has one writer: two receipts never share a number.
  sql_ << "UPDATE receipt_counters SET last = last + 1 WHERE org_id = :o AND year = :y RETURNING "
          "last",
      soci::use(org_id), soci::use(y), soci::into(last);
  return last;
}

void SqlReceipts::insert_receipt(
    const app::TaxReceiptRecord& r,
    const std::vector<std::pair<core::ReceiptSource, std::string>>& lines) {
  require_writable();
  long long year = r.year, seq = r.seq, amount = r.amount_cents, gift = r.gift_cents,
            given = r.given_at, issued = r.issued_at;
  const std::string kind = core::to_string(r.kind), status = core::to_string(r.status),
                    source_kind = core::to_string(r.source_kind);
  Nullable source(r.source_id);
  sql_ << "INSERT INTO receipts (id, org_id, user_id, number, year, seq, kind, status, "
          "amount_cents, gift_cents, donor_name, donor_address, donor_postal_code, donor_city, "
          "source_kind, source_id, given_at, issued_at) VALUES (:id, :o, :u, :n, :y, :s, :k, :st, "
          ":a, :g, :dn, :da, :dp, :dc, :sk, :si, :gv, :is)",
      soci::use(r.id), soci::use(r.org_id), soci::use(r.user_id), soci::use(r.number),
      soci::use(year), soci::use(seq), soci::use(kind), soci::use(status), soci::use(amount),
      soci::use(gift), soci::use(r.donor.full_name), soci::use(r.donor.address_line),
      soci::use(r.donor.postal_code), soci::use(r.donor.city), soci::use(source_kind),
      soci::use(source.text, source.indicator), soci::use(given), soci::use(issued);
  for (const auto& [source_of, id] : lines) {
    const std::string kind_of = core::to_string(source_of);
    sql_ << "INSERT INTO receipt_lines (receipt_id, source_kind, source_id) VALUES (:r, :k, :i)",
        soci::use(r.id), soci::use(kind_of), soci::use(id);
  }
}

bool SqlReceipts::cancel_for(core::ReceiptSource source_kind, const std::string& source_id,
                             core::TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string kind = core::to_string(source_kind);
  soci::statement st =
      (sql_.prepare << "UPDATE receipts SET status = 'cancelled', cancelled_at = :at WHERE "
                       "source_kind = :k AND source_id = :i AND status = 'issued'",
       soci::use(at), soci::use(kind), soci::use(source_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void SqlGuests::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

void SqlGuests::insert_claim(const std::string& token_hash, const core::UserId& guest_user_id,
                             core::TimestampMs now, core::TimestampMs expires_at) {
  require_writable();
  long long at = now, until = expires_at;
  sql_ << "INSERT INTO guest_claims (token_hash, guest_user_id, created_at, expires_at) VALUES "
          "(:h, :g, :at, :until)",
      soci::use(token_hash), soci::use(guest_user_id), soci::use(at), soci::use(until);
}

std::optional<core::UserId> SqlGuests::use_claim(const std::string& token_hash,
                                                 core::TimestampMs now) {
  require_writable();
  long long at = now;
  std::string guest;
  soci::indicator ind = soci::i_null;
  sql_ << "UPDATE guest_claims SET used_at = :at WHERE token_hash = :h AND used_at IS NULL AND "
          "expires_at > :now RETURNING guest_user_id",
      soci::use(at), soci::use(token_hash), soci::use(at), soci::into(guest, ind);
  if (!sql_.got_data() || ind != soci::i_ok) return std::nullopt;
  return core::UserId{std::move(guest)};
}

std::int64_t SqlGuests::hand_over(const core::UserId& guest_user_id, const core::UserId& user_id) {
  require_writable();
  std::int64_t moved = 0;
  for (const char* table :
       {"pledges", "paid_memberships", "recurring_gifts", "receipts", "receipt_requests"}) {
    soci::statement st =
        (sql_.prepare << "UPDATE " << table << " SET user_id = :u WHERE user_id = :g",
         soci::use(user_id), soci::use(guest_user_id));
    st.execute(true);
    moved += st.get_affected_rows();
  }
  return moved;
}

}  // namespace essor::store
