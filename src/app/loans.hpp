// Solidarity loans after success: the organisation's schedule, repayments
// recorded by its treasurer and split between lenders, the lenders' view of
// their loans, their balance of repaid money, withdrawals of it, and yearly
// statements of interest. The arithmetic is core/loan.hpp's; this layer
// loads, checks who may act, and moves the money on the ledger. Safe to use
// from many threads; every call blocks on the database.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/idempotency.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/loan.hpp"

namespace essor::app {

enum class InstallmentState { paid, due, overdue };
std::string to_string(InstallmentState state);

struct InstallmentView {
  core::Installment installment;
  InstallmentState state = InstallmentState::due;
};

struct ScheduleView {
  CampaignRecord campaign;
  std::vector<InstallmentView> installments;
  core::LoanPosition position;
  core::AmountOwed owed_now;
  int overdue_count = 0;
  std::optional<core::Installment> next_due;  // the first installment not paid
  std::vector<RepaymentRecord> repayments;    // newest first
  std::vector<LoanContractRecord> contracts;  // one per lender
};

struct LenderLoan {
  LoanContractRecord contract;
  std::string campaign_title;
  std::string org_name;
  core::Cents outstanding_cents = 0;
  // The lender's share of every installment (pro rata to the amounts
  // lent), and of the next one not paid, if any.
  std::vector<core::Installment> shares;
  std::optional<core::Installment> next_share;
  bool overdue = false;
};

struct LenderSummary {
  std::vector<LenderLoan> loans;
  core::Cents lent_cents = 0;
  core::Cents repaid_principal_cents = 0;
  core::Cents repaid_interest_cents = 0;
  core::Cents outstanding_cents = 0;
  std::optional<TimestampMs> next_due;
  core::Cents balance_cents = 0;       // repaid money on the platform
  core::Cents available_cents = 0;     // less the withdrawals asked for
  core::Cents test_balance_cents = 0;  // test-card money repaid: shown, never withdrawn
  std::vector<WithdrawalRecord> withdrawals;
};

struct StatementLine {
  ReceiptRecord receipt;
  std::string campaign_title;
  std::string org_name;
};

struct Statement {
  int year = 0;
  std::string lender_name;
  std::vector<StatementLine> lines;
  core::Cents principal_cents = 0;
  core::Cents interest_cents = 0;
};

struct RepaymentOutcome {
  RepaymentRecord repayment;
};

class Loans {
 public:
  Loans(Store& store, Crypto& crypto, Clock& clock, Ledger& ledger);

  // Public: anyone who can see the campaign. 409 not_a_loan for a donation
  // campaign, 409 loan_not_started before success.
  core::Result<ScheduleView> schedule(const std::optional<Principal>& who,
                                      const core::CampaignId& campaign_id);

  // The organisation's treasurer or admins declare a repayment made from
  // their bank. Idempotency-Key as for pledges; 400 validation_failed when
  // the amount is not positive or is more than what is owed now; 409
  // repayment_pending while another waits. It stays pending (no money moves)
  // until a moderator confirms it.
  core::Result<Rendered> repay(const Principal& who, const core::CampaignId& campaign_id,
                               const std::string& key, core::Cents amount_cents,
                               const std::function<std::string(const RepaymentOutcome&)>& render);

  // Moderators: the money arrived (arrived = true: split between lenders
  // on what they are owed now, posted to the ledger) or never did.
  core::Result<RepaymentRecord> review_repayment(const Principal& who, const std::string& id,
                                                 bool arrived);
  core::Result<std::vector<RepaymentRecord>> pending_repayments(const Principal& who);

  LenderSummary mine(const Principal& who);
  // The user's balance that can be lent again or withdrawn.
  core::Cents available(const Principal& who);
  // What the lender received in a calendar year (UTC), for tax returns.
  core::Result<Statement> statement(const Principal& who, int year);

  // The lender asks for its available balance to be paid to an IBAN.
  core::Result<WithdrawalRecord> request_withdrawal(const Principal& who, core::Cents amount_cents,
                                                    const std::string& iban);
  // The lender cancels a request not yet executed.
  core::Result<WithdrawalRecord> cancel_withdrawal(const Principal& who, const std::string& id);
  // Moderators (who run the platform's account) record the bank transfer.
  core::Result<WithdrawalRecord> execute_withdrawal(const Principal& who, const std::string& id);
  core::Result<std::vector<WithdrawalRecord>> requested_withdrawals(const Principal& who);

 private:
  core::Result<ScheduleView> load(ReadTx& tx, const core::CampaignId& campaign_id, TimestampMs now);
  core::Result<RepaymentRecord> split_of(ReadTx& tx, const core::CampaignId& campaign_id,
                                         core::Cents amount_cents, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  Ledger& ledger_;
};

}  // namespace essor::app
