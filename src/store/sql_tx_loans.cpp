// SqlTx: loan contracts, repayments and their allocations, withdrawals.
#include <soci/soci.h>

#include "core/id.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {

using app::TimestampMs;

void SqlTx::insert_loan_contract(const app::LoanContractRecord& c) {
  require_writable();
  long long amount = c.amount_cents, at = c.created_at;
  sql_ << "INSERT INTO loan_contracts (campaign_id, user_id, amount_cents, created_at) VALUES "
          "(:c, :u, :a, :at)",
      soci::use(c.campaign_id), soci::use(c.user_id), soci::use(amount), soci::use(at);
}

std::vector<app::LoanContractRecord> SqlTx::query_contracts(const std::string& column,
                                                            const std::string& value) {
  // column is one of two fixed names, never input.
  std::vector<app::LoanContractRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT l.campaign_id, l.user_id, l.amount_cents, "
                       "CAST(COALESCE((SELECT SUM(a.principal_cents) FROM loan_allocations a WHERE "
                       "a.campaign_id = l.campaign_id AND a.user_id = l.user_id), 0) AS BIGINT), "
                       "CAST(COALESCE((SELECT SUM(a.interest_cents) FROM loan_allocations a WHERE "
                       "a.campaign_id = l.campaign_id AND a.user_id = l.user_id), 0) AS BIGINT), "
                       "l.created_at FROM loan_contracts l WHERE l."
                    << column << " = :v ORDER BY l.created_at, l.campaign_id, l.user_id",
       soci::use(value));
  for (const auto& row : rows) {
    out.push_back({get_text(row, 0), get_text(row, 1), get_i64(row, 2), get_i64(row, 3),
                   get_i64(row, 4), get_i64(row, 5)});
  }
  return out;
}

std::vector<app::LoanContractRecord> SqlTx::loan_contracts(const core::CampaignId& campaign_id) {
  return query_contracts("campaign_id", campaign_id);
}

std::vector<app::LoanContractRecord> SqlTx::loans_of_user(const core::UserId& user_id) {
  return query_contracts("user_id", user_id);
}

void SqlTx::insert_repayment(const app::RepaymentRecord& r) {
  require_writable();
  long long amount = r.amount_cents, principal = r.principal_cents, interest = r.interest_cents,
            at = r.created_at;
  const std::string status = core::to_string(r.status);
  sql_ << "INSERT INTO loan_repayments (id, campaign_id, amount_cents, principal_cents, "
          "interest_cents, recorded_by, created_at, status) VALUES (:id, :c, :a, :p, :i, :by, "
          ":at, :s)",
      soci::use(r.id), soci::use(r.campaign_id), soci::use(amount), soci::use(principal),
      soci::use(interest), soci::use(r.recorded_by), soci::use(at), soci::use(status);
  if (r.status == core::RepaymentStatus::confirmed) insert_allocations(r);
}

void SqlTx::insert_allocations(const app::RepaymentRecord& r) {
  long long at = r.created_at;
  for (const auto& a : r.allocations) {
    if (a.principal_cents == 0 && a.interest_cents == 0) continue;
    long long p = a.principal_cents, i = a.interest_cents;
    sql_ << "INSERT INTO loan_allocations (repayment_id, user_id, campaign_id, principal_cents, "
            "interest_cents, created_at) VALUES (:r, :u, :c, :p, :i, :at)",
        soci::use(r.id), soci::use(a.user_id), soci::use(r.campaign_id), soci::use(p), soci::use(i),
        soci::use(at);
  }
}

bool SqlTx::confirm_repayment(const app::RepaymentRecord& r, const core::UserId& by,
                              TimestampMs now) {
  require_writable();
  long long at = now, principal = r.principal_cents, interest = r.interest_cents;
  soci::statement st =
      (sql_.prepare << "UPDATE loan_repayments SET status = 'confirmed', reviewed_by = :by, "
                       "reviewed_at = :at, principal_cents = :p, interest_cents = :i "
                       "WHERE id = :id AND status = 'pending'",
       soci::use(by), soci::use(at), soci::use(principal), soci::use(interest), soci::use(r.id));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  // Allocations carry the day the money reached the lenders (their yearly
  // statements count it then).
  app::RepaymentRecord dated = r;
  dated.created_at = now;
  insert_allocations(dated);
  return true;
}

bool SqlTx::reject_repayment(const std::string& id, const core::UserId& by, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st =
      (sql_.prepare << "UPDATE loan_repayments SET status = 'rejected', reviewed_by = :by, "
                       "reviewed_at = :at WHERE id = :id AND status = 'pending'",
       soci::use(by), soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<app::RepaymentRecord> SqlTx::query_repayments(const std::string& where_sql,
                                                          const std::string& value) {
  std::vector<app::RepaymentRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, campaign_id, amount_cents, principal_cents, interest_cents, "
                       "recorded_by, created_at, status FROM loan_repayments "
                    << where_sql,
       soci::use(value));
  for (const auto& row : rows) {
    app::RepaymentRecord r;
    r.id = get_text(row, 0);
    r.campaign_id = get_text(row, 1);
    r.amount_cents = get_i64(row, 2);
    r.principal_cents = get_i64(row, 3);
    r.interest_cents = get_i64(row, 4);
    r.recorded_by = get_text(row, 5);
    r.created_at = get_i64(row, 6);
    r.status = known(core::parse_repayment_status, get_text(row, 7));
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<app::RepaymentRecord> SqlTx::repayment_by_id(const std::string& id) {
  auto rows = query_repayments("WHERE id = :v", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::RepaymentRecord> SqlTx::repayments_of_campaign(
    const core::CampaignId& campaign_id) {
  return query_repayments("WHERE campaign_id = :v ORDER BY created_at DESC, id", campaign_id);
}

std::vector<app::RepaymentRecord> SqlTx::repayments_with_status(core::RepaymentStatus status) {
  return query_repayments("WHERE status = :v ORDER BY created_at, id LIMIT 1000",
                          core::to_string(status));
}

std::vector<app::ReceiptRecord> SqlTx::receipts_of_user(const core::UserId& user_id,
                                                        TimestampMs from, TimestampMs to) {
  long long lo = from, hi = to;
  std::vector<app::ReceiptRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT repayment_id, campaign_id, principal_cents, interest_cents, "
                       "created_at FROM loan_allocations WHERE user_id = :u AND created_at >= "
                       ":lo AND created_at < :hi ORDER BY created_at, repayment_id",
       soci::use(user_id), soci::use(lo), soci::use(hi));
  for (const auto& row : rows) {
    out.push_back(
        {get_text(row, 0), get_text(row, 1), get_i64(row, 2), get_i64(row, 3), get_i64(row, 4)});
  }
  return out;
}

void SqlTx::insert_withdrawal(const app::WithdrawalRecord& w) {
  require_writable();
  long long amount = w.amount_cents, at = w.created_at;
  const std::string status = core::to_string(w.status);
  sql_ << "INSERT INTO withdrawals (id, user_id, amount_cents, iban, status, created_at) VALUES "
          "(:id, :u, :a, :iban, :s, :at)",
      soci::use(w.id), soci::use(w.user_id), soci::use(amount), soci::use(w.iban),
      soci::use(status), soci::use(at);
}

std::vector<app::WithdrawalRecord> SqlTx::query_withdrawals(const std::string& where_sql,
                                                            const std::string& value) {
  std::vector<app::WithdrawalRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, user_id, amount_cents, iban, status, created_at, executed_at, "
                       "executed_by FROM withdrawals "
                    << where_sql,
       soci::use(value));
  for (const auto& row : rows) {
    out.push_back({get_text(row, 0), get_text(row, 1), get_i64(row, 2), get_text(row, 3),
                   known(core::parse_withdrawal_status, get_text(row, 4)), get_i64(row, 5),
                   get_opt_i64(row, 6), get_opt(row, 7)});
  }
  return out;
}

std::optional<app::WithdrawalRecord> SqlTx::withdrawal_by_id(const std::string& id) {
  auto rows = query_withdrawals("WHERE id = :v", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

bool SqlTx::transition_withdrawal(const std::string& id, core::WithdrawalStatus from_status,
                                  core::WithdrawalStatus to_status, const core::UserId& by,
                                  TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string from = core::to_string(from_status), to = core::to_string(to_status);
  soci::statement st =
      (sql_.prepare << "UPDATE withdrawals SET status = :to, executed_at = :at, executed_by = :by "
                       "WHERE id = :id AND status = :from",
       soci::use(to), soci::use(at), soci::use(by), soci::use(id), soci::use(from));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<app::WithdrawalRecord> SqlTx::withdrawals_of_user(const core::UserId& user_id) {
  return query_withdrawals("WHERE user_id = :v ORDER BY created_at DESC, id", user_id);
}

std::vector<app::WithdrawalRecord> SqlTx::withdrawals_with_status(core::WithdrawalStatus status) {
  return query_withdrawals("WHERE status = :v ORDER BY created_at, id LIMIT 1000",
                           core::to_string(status));
}

}  // namespace essor::store
