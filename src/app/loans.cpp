#include "app/loans.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

std::string to_string(InstallmentState state) {
  switch (state) {
    case InstallmentState::paid:
      return "paid";
    case InstallmentState::overdue:
      return "overdue";
    case InstallmentState::due:
      break;
  }
  return "due";
}

namespace {

Error no_campaign() {
  return Error::not_found("No campaign with this id.");
}

std::vector<core::Cents> outstanding_of(const std::vector<LoanContractRecord>& contracts) {
  std::vector<core::Cents> out;
  for (const auto& c : contracts) out.push_back(c.amount_cents - c.repaid_principal_cents);
  return out;
}

// This lender's part of one installment: the installment split between
// every lender pro rata to what each lent, by largest remainder.
core::Installment share_of(const core::Installment& item,
                           const std::vector<LoanContractRecord>& contracts,
                           const core::UserId& user_id) {
  std::vector<core::Cents> lent;
  std::size_t mine = 0;
  for (std::size_t idx = 0; idx < contracts.size(); ++idx) {
    lent.push_back(contracts[idx].amount_cents);
    if (contracts[idx].user_id == user_id) mine = idx;
  }
  core::Installment share = item;
  share.principal_cents = core::split_pro_rata(item.principal_cents, lent)[mine];
  share.interest_cents = core::split_pro_rata(item.interest_cents, lent)[mine];
  share.total_cents = share.principal_cents + share.interest_cents;
  return share;
}

}  // namespace

Loans::Loans(Store& store, Crypto& crypto, Clock& clock, Ledger& ledger)
    : store_(store), crypto_(crypto), clock_(clock), ledger_(ledger) {}

Result<ScheduleView> Loans::load(ReadTx& tx, const core::CampaignId& campaign_id, TimestampMs now) {
  auto campaign = tx.campaigns().campaign_by_id(campaign_id);
  if (!campaign) return no_campaign();
  if (campaign->kind != core::CampaignKind::loan || !campaign->loan) {
    return Error::conflict("not_a_loan", "This campaign collects donations, not loans.");
  }
  if (campaign->status != core::CampaignStatus::succeeded || !campaign->resolved_at) {
    return Error::conflict("loan_not_started",
                           "The loan starts when the campaign succeeds; there is no schedule yet.");
  }
  ScheduleView view;
  view.contracts = tx.loans().loan_contracts(campaign_id);
  for (const auto& c : view.contracts) {
    view.position.principal_cents += c.amount_cents;
    view.position.repaid_principal_cents += c.repaid_principal_cents;
    view.position.repaid_interest_cents += c.repaid_interest_cents;
  }
  const auto schedule =
      core::loan_schedule(view.position.principal_cents, *campaign->loan, *campaign->resolved_at);
  const int settled = core::settled_installments(schedule, view.position);
  for (const auto& item : schedule) {
    InstallmentState state = item.number <= settled          ? InstallmentState::paid
                             : core::past_due(item.due, now) ? InstallmentState::overdue
                                                             : InstallmentState::due;
    if (state == InstallmentState::overdue) ++view.overdue_count;
    if (state != InstallmentState::paid && !view.next_due) view.next_due = item;
    view.installments.push_back({item, state});
  }
  view.owed_now = core::amount_owed(schedule, view.position, now);
  view.repayments = tx.loans().repayments_of_campaign(campaign_id);
  view.campaign = std::move(*campaign);
  return view;
}

Result<ScheduleView> Loans::schedule(const std::optional<Principal>& who,
                                     const core::CampaignId& campaign_id) {
  const TimestampMs now = clock_.now();
  return read_value<Result<ScheduleView>>(store_, [&](ReadTx& tx) -> Result<ScheduleView> {
    auto campaign = tx.campaigns().campaign_by_id(campaign_id);
    if (!campaign) return no_campaign();
    if (!core::is_public(campaign->status)) {
      const bool insider =
          who && (who->moderator || tx.orgs().member_role(campaign->org_id, who->user_id));
      if (!insider) return no_campaign();
    }
    return load(tx, campaign_id, now);
  });
}

Result<Rendered> Loans::repay(const Principal& who, const core::CampaignId& campaign_id,
                              const std::string& key, core::Cents amount_cents,
                              const std::function<std::string(const RepaymentOutcome&)>& render) {
  if (auto problem = check_idempotency_key(key)) return *problem;
  if (amount_cents <= 0 || amount_cents > core::kMaxPledgeCents) {
    return Error::validation({{"amount_cents", "must be from 1 to 10000000"}});
  }
  const std::string request_hash =
      crypto_.sha256_hex("repayment\n" + campaign_id + "\n" + std::to_string(amount_cents));
  const TimestampMs now = clock_.now();
  return write_result<Rendered>(store_, [&](Tx& tx) -> Result<Rendered> {
    auto campaign = tx.campaigns().campaign_by_id(campaign_id);
    if (!campaign) return no_campaign();
    if (!campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                         CampaignActionKind::treasury)) {
      return Error::forbidden("Only the organisation's treasurer or admins record repayments.");
    }
    return run_idempotent(tx, who.user_id, key, request_hash, now, [&]() -> Result<Rendered> {
      // A declared repayment moves no money until a moderator has seen it
      // arrive; one waits at a time, so its split stays what was shown.
      // The loan's money lock first: two declarations (or two processes)
      // are checked one after the other.
      tx.ledger().lock_campaign_money(campaign_id, LockMode::exclusive);
      for (const auto& other : tx.loans().repayments_of_campaign(campaign_id)) {
        if (other.status == core::RepaymentStatus::pending) {
          return Error::conflict("repayment_pending",
                                 "A repayment of this loan already waits for the platform to "
                                 "confirm the money arrived.");
        }
      }
      auto repayment = split_of(tx, campaign_id, amount_cents, now);
      if (!repayment) return repayment.error();
      repayment->id = crypto_.random_id();
      repayment->recorded_by = who.user_id;
      repayment->created_at = now;
      repayment->status = core::RepaymentStatus::pending;
      tx.loans().insert_repayment(*repayment);
      return Rendered{201, render(RepaymentOutcome{*repayment})};
    });
  });
}

Result<RepaymentRecord> Loans::split_of(ReadTx& tx, const core::CampaignId& campaign_id,
                                        core::Cents amount_cents, TimestampMs now) {
  auto view = load(tx, campaign_id, now);
  if (!view) return view.error();
  const auto& contracts = view->contracts;
  const auto split = core::split_repayment(amount_cents, view->owed_now, outstanding_of(contracts));
  if (!split) {
    return Error::validation(
        {{"amount_cents",
          "more than what is still owed (" + std::to_string(view->owed_now.total()) + " cents)"}});
  }
  RepaymentRecord repayment;
  repayment.campaign_id = campaign_id;
  repayment.amount_cents = amount_cents;
  repayment.principal_cents = split->principal_cents;
  repayment.interest_cents = split->interest_cents;
  for (std::size_t idx = 0; idx < contracts.size(); ++idx) {
    const auto& share = split->shares[idx];
    repayment.allocations.push_back(
        {contracts[idx].user_id, share.principal_cents, share.interest_cents});
  }
  return repayment;
}

Result<RepaymentRecord> Loans::review_repayment(const Principal& who, const std::string& id,
                                                bool arrived) {
  if (!who.moderator) {
    return Error::forbidden("Only the platform's moderators confirm that a repayment arrived.");
  }
  const TimestampMs now = clock_.now();
  return write_result<RepaymentRecord>(store_, [&](Tx& tx) -> Result<RepaymentRecord> {
    auto declared = tx.loans().repayment_by_id(id);
    if (!declared) return Error::not_found("No repayment with this id.");
    // The loan's money lock, then the repayment read again: two reviews of
    // one loan (or two processes) are computed one after the other, each on
    // what the other left.
    tx.ledger().lock_campaign_money(declared->campaign_id, LockMode::exclusive);
    declared = tx.loans().repayment_by_id(id);
    const auto not_pending = [] {
      return Error::conflict("repayment_not_pending", "This repayment was already reviewed.");
    };
    if (declared->status != core::RepaymentStatus::pending) return not_pending();
    if (!arrived) {
      if (!tx.loans().reject_repayment(id, who.user_id, now)) return not_pending();
      return *tx.loans().repayment_by_id(id);
    }
    auto repayment = split_of(tx, declared->campaign_id, declared->amount_cents, now);
    if (!repayment) return repayment.error();
    repayment->id = declared->id;
    repayment->recorded_by = declared->recorded_by;
    repayment->created_at = declared->created_at;
    if (!tx.loans().confirm_repayment(*repayment, who.user_id, now)) return not_pending();
    repayment->status = core::RepaymentStatus::confirmed;
    auto campaign = tx.campaigns().campaign_by_id(repayment->campaign_id);
    // Lenders who lent with the test card get test money back: shown in
    // their balance apart, never withdrawn, never lent again.
    std::set<std::string> test_lenders;
    for (const auto& pledge :
         tx.pledges().pledges_of_campaign(campaign->id, core::PledgeStatus::confirmed)) {
      if (pledge.payment_method == core::PaymentMethod::sandbox_card)
        test_lenders.insert(pledge.user_id);
    }
    // The organisation paid from its bank; the platform passes the money
    // on to each lender.
    const std::string org = core::org_account(campaign->org_id);
    ledger_.post(tx, core::external_account(core::PaymentMethod::bank_transfer), org,
                 repayment->amount_cents, core::TransferKind::repayment_in, std::nullopt,
                 campaign->id);
    for (const auto& allocation : repayment->allocations) {
      const core::Cents total = allocation.principal_cents + allocation.interest_cents;
      if (total <= 0) continue;
      const std::string wallet = tx.accounts().wallet_of(allocation.user_id);
      ledger_.post(tx, org,
                   test_lenders.count(allocation.user_id) ? core::test_wallet_account(wallet)
                                                          : core::wallet_account(wallet),
                   total, core::TransferKind::repayment, std::nullopt, campaign->id);
    }
    return *repayment;
  });
}

Result<std::vector<RepaymentRecord>> Loans::pending_repayments(const Principal& who) {
  if (!who.moderator) return Error::forbidden("Only the platform's moderators see repayments.");
  return read_value<std::vector<RepaymentRecord>>(store_, [&](ReadTx& tx) {
    return tx.loans().repayments_with_status(core::RepaymentStatus::pending);
  });
}

LenderSummary Loans::mine(const Principal& who) {
  const TimestampMs now = clock_.now();
  return read_value<LenderSummary>(store_, [&](ReadTx& tx) {
    LenderSummary summary;
    for (auto& contract : tx.loans().loans_of_user(who.user_id)) {
      LenderLoan loan;
      loan.outstanding_cents = contract.amount_cents - contract.repaid_principal_cents;
      if (auto view = load(tx, contract.campaign_id, now)) {
        loan.campaign_title = view->campaign.title;
        if (auto org = tx.orgs().org_by_id(view->campaign.org_id)) loan.org_name = org->name;
        loan.overdue = view->overdue_count > 0;
        for (const auto& item : view->installments)
          loan.shares.push_back(share_of(item.installment, view->contracts, who.user_id));
        if (view->next_due) {
          loan.next_share = loan.shares.at(static_cast<std::size_t>(view->next_due->number - 1));
          if (!summary.next_due || view->next_due->due < *summary.next_due)
            summary.next_due = view->next_due->due;
        }
      }
      summary.lent_cents += contract.amount_cents;
      summary.repaid_principal_cents += contract.repaid_principal_cents;
      summary.repaid_interest_cents += contract.repaid_interest_cents;
      summary.outstanding_cents += loan.outstanding_cents;
      loan.contract = std::move(contract);
      summary.loans.push_back(std::move(loan));
    }
    const std::string wallet = tx.accounts().wallet_of(who.user_id);
    summary.balance_cents = tx.ledger().account_balance(core::wallet_account(wallet));
    summary.test_balance_cents = tx.ledger().account_balance(core::test_wallet_account(wallet));
    summary.available_cents = Ledger::available_balance(tx, who.user_id);
    summary.withdrawals = tx.loans().withdrawals_of_user(who.user_id);
    return summary;
  });
}

core::Cents Loans::available(const Principal& who) {
  return read_value<core::Cents>(
      store_, [&](ReadTx& tx) { return Ledger::available_balance(tx, who.user_id); });
}

Result<Statement> Loans::statement(const Principal& who, int year) {
  if (year < 2000 || year > 2200) return Error::validation({{"year", "must be from 2000 to 2200"}});
  const auto from = core::parse_date(std::to_string(year) + "-01-01");
  const auto to = core::parse_date(std::to_string(year + 1) + "-01-01");
  return read_value<Result<Statement>>(store_, [&](ReadTx& tx) -> Result<Statement> {
    Statement statement;
    statement.year = year;
    statement.lender_name = who.display_name;
    // A campaign's title and organisation read once, not once a month.
    std::map<core::CampaignId, std::pair<std::string, std::string>> names;
    for (auto& receipt : tx.loans().receipts_of_user(who.user_id, *from, *to)) {
      StatementLine line;
      auto known = names.find(receipt.campaign_id);
      if (known == names.end()) {
        std::pair<std::string, std::string> read;
        if (auto campaign = tx.campaigns().campaign_by_id(receipt.campaign_id)) {
          read.first = campaign->title;
          if (auto org = tx.orgs().org_by_id(campaign->org_id)) read.second = org->name;
        }
        known = names.emplace(receipt.campaign_id, std::move(read)).first;
      }
      line.campaign_title = known->second.first;
      line.org_name = known->second.second;
      statement.principal_cents += receipt.principal_cents;
      statement.interest_cents += receipt.interest_cents;
      line.receipt = std::move(receipt);
      statement.lines.push_back(std::move(line));
    }
    return statement;
  });
}

Result<WithdrawalRecord> Loans::request_withdrawal(const Principal& who, core::Cents amount_cents,
                                                   const std::string& iban) {
  std::map<std::string, std::string> problems;
  if (amount_cents <= 0 || amount_cents > core::kMaxPledgeCents)
    problems["amount_cents"] = "must be from 1 to 10000000";
  const auto normalized = core::normalize_iban(iban);
  if (!normalized) problems["iban"] = "not a valid IBAN";
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<WithdrawalRecord>(store_, [&](Tx& tx) -> Result<WithdrawalRecord> {
    tx.ledger().lock_wallet(who.user_id);
    if (amount_cents > Ledger::available_balance(tx, who.user_id)) {
      return Error::conflict("insufficient_balance",
                             "Your balance of repaid loans is smaller than this amount.");
    }
    WithdrawalRecord withdrawal{crypto_.random_id(),
                                who.user_id,
                                amount_cents,
                                *normalized,
                                core::WithdrawalStatus::requested,
                                now,
                                std::nullopt,
                                std::nullopt};
    tx.loans().insert_withdrawal(withdrawal);
    return withdrawal;
  });
}

Result<WithdrawalRecord> Loans::cancel_withdrawal(const Principal& who, const std::string& id) {
  const TimestampMs now = clock_.now();
  return write_result<WithdrawalRecord>(store_, [&](Tx& tx) -> Result<WithdrawalRecord> {
    auto withdrawal = tx.loans().withdrawal_by_id(id);
    if (!withdrawal || withdrawal->user_id != who.user_id)
      return Error::not_found("No withdrawal with this id.");
    if (!tx.loans().transition_withdrawal(id, core::WithdrawalStatus::requested,
                                          core::WithdrawalStatus::cancelled, who.user_id, now)) {
      return Error::conflict("withdrawal_not_requested", "This withdrawal is already closed.");
    }
    return *tx.loans().withdrawal_by_id(id);
  });
}

Result<WithdrawalRecord> Loans::execute_withdrawal(const Principal& who, const std::string& id) {
  if (!who.moderator) return Error::forbidden("Only the platform's moderators pay withdrawals.");
  const TimestampMs now = clock_.now();
  return write_result<WithdrawalRecord>(store_, [&](Tx& tx) -> Result<WithdrawalRecord> {
    auto withdrawal = tx.loans().withdrawal_by_id(id);
    if (!withdrawal) return Error::not_found("No withdrawal with this id.");
    if (!tx.loans().transition_withdrawal(id, core::WithdrawalStatus::requested,
                                          core::WithdrawalStatus::executed, who.user_id, now)) {
      return Error::conflict("withdrawal_not_requested", "This withdrawal is already closed.");
    }
    ledger_.post(tx, Ledger::wallet(tx, withdrawal->user_id),
                 core::external_account(core::PaymentMethod::bank_transfer),
                 withdrawal->amount_cents, core::TransferKind::withdrawal, std::nullopt,
                 std::nullopt);
    return *tx.loans().withdrawal_by_id(id);
  });
}

Result<std::vector<WithdrawalRecord>> Loans::requested_withdrawals(const Principal& who) {
  if (!who.moderator) return Error::forbidden("Only the platform's moderators see withdrawals.");
  return read_value<std::vector<WithdrawalRecord>>(store_, [&](ReadTx& tx) {
    return tx.loans().withdrawals_with_status(core::WithdrawalStatus::requested);
  });
}

}  // namespace essor::app
