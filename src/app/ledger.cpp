#include "app/ledger.hpp"

#include <stdexcept>

namespace essor::app {

core::Transfer Ledger::post(Tx& tx, const std::string& debit, const std::string& credit,
                            core::Cents amount, const std::string& kind,
                            const std::optional<std::string>& pledge_id,
                            const std::optional<std::string>& campaign_id) {
  const LedgerHead head = tx.lock_ledger_head();
  core::Transfer transfer;
  transfer.seq = head.seq + 1;
  transfer.id = crypto_.random_id();
  transfer.debit_account = debit;
  transfer.credit_account = credit;
  transfer.amount_cents = amount;
  transfer.kind = kind;
  transfer.pledge_id = pledge_id;
  transfer.campaign_id = campaign_id;
  transfer.created_at = clock_.now();
  transfer.prev_hash = head.hash;
  // A programmer's mistake, never user input: callers validated amounts.
  if (auto problem = core::check_transfer(transfer))
    throw std::logic_error("bad transfer: " + *problem);
  transfer.hash = core::chain_hash(
      head.hash, transfer, [this](const std::string& bytes) { return crypto_.sha256_hex(bytes); });
  tx.append_transfer(transfer);
  return transfer;
}

std::string Ledger::wallet(ReadTx& tx, const std::string& user_id) {
  return core::wallet_account(tx.wallet_of(user_id));
}

std::string Ledger::source(ReadTx& tx, const std::string& payment_method,
                           const std::string& user_id) {
  return payment_method == "balance" ? wallet(tx, user_id) : core::external_account(payment_method);
}

core::Cents Ledger::available_balance(ReadTx& tx, const std::string& user_id) {
  return tx.available_balance(user_id);
}

LedgerHead Ledger::head() {
  LedgerHead head;
  store_.read([&](ReadTx& tx) { head = tx.ledger_head(); });
  return head;
}

std::vector<core::Transfer> Ledger::after(std::int64_t after_seq, std::int64_t limit) {
  std::vector<core::Transfer> out;
  store_.read([&](ReadTx& tx) { out = tx.transfers_after(after_seq, limit); });
  return out;
}

std::vector<core::Transfer> Ledger::of_campaign(const std::string& campaign_id, std::int64_t limit,
                                                std::int64_t offset) {
  std::vector<core::Transfer> out;
  store_.read([&](ReadTx& tx) { out = tx.transfers_of_campaign(campaign_id, limit, offset); });
  return out;
}

namespace {

// A succeeded loan: the contracts hold what the lenders' confirmed pledges
// say, and every repayment recorded is in the ledger, in and out, and in
// the lenders' allocations.
void check_loan(ReadTx& tx, const CampaignRecord& campaign, core::ChainReport& report) {
  core::Cents pledged = 0, contracted = 0, allocated = 0, repaid = 0, paid_in = 0, paid_out = 0;
  for (const auto& pledge : tx.pledges_of_campaign(campaign.id, core::PledgeStatus::confirmed))
    pledged += pledge.amount_cents;
  for (const auto& contract : tx.loan_contracts(campaign.id)) {
    contracted += contract.amount_cents;
    allocated += contract.repaid_principal_cents + contract.repaid_interest_cents;
  }
  for (const auto& repayment : tx.repayments_of_campaign(campaign.id))
    if (repayment.status == "confirmed") repaid += repayment.amount_cents;
  for (std::int64_t offset = 0;; offset += 1000) {
    const auto transfers = tx.transfers_of_campaign(campaign.id, 1000, offset);
    for (const auto& t : transfers) {
      if (t.kind == "repayment_in") paid_in += t.amount_cents;
      if (t.kind == "repayment") paid_out += t.amount_cents;
    }
    if (transfers.size() < 1000) break;
  }
  const std::string name = "loan " + campaign.id + ": ";
  if (pledged != contracted) {
    report.problems.push_back(name + "contracts hold " + std::to_string(contracted) +
                              " cents but confirmed pledges " + std::to_string(pledged));
  }
  if (repaid != paid_in || repaid != paid_out || repaid != allocated) {
    report.problems.push_back(name + "repayments of " + std::to_string(repaid) +
                              " cents, but the ledger has " + std::to_string(paid_in) + " in and " +
                              std::to_string(paid_out) + " out, and lenders " +
                              std::to_string(allocated));
  }
}

}  // namespace

core::ChainReport Ledger::verify() {
  core::ChainReport report;
  store_.read([&](ReadTx& tx) {
    core::ChainVerifier verifier(
        [this](const std::string& bytes) { return crypto_.sha256_hex(bytes); });
    tx.for_each_transfer([&](const core::Transfer& transfer) { verifier.add(transfer); });
    const LedgerHead head = tx.ledger_head();
    report = verifier.finish(head.hash, head.seq);
    // Each campaign's account must hold what its pledges say: confirmed
    // money while live, nothing once resolved (paid out or refunded).
    CampaignFilter filter;
    filter.limit = 1'000'000;
    for (const auto& campaign : tx.list_campaigns(filter)) {
      const auto account = core::campaign_account(campaign.id);
      const auto it = report.balances.find(account);
      const core::Cents balance = it == report.balances.end() ? 0 : it->second;
      core::Cents expected = 0;
      if (campaign.status == core::CampaignStatus::live) {
        for (const auto& pledge :
             tx.pledges_of_campaign(campaign.id, core::PledgeStatus::confirmed)) {
          expected += pledge.amount_cents;
        }
      }
      if (balance != expected) {
        report.problems.push_back(
            "campaign " + campaign.id + " (" + core::to_string(campaign.status) + ") holds " +
            std::to_string(balance) + " cents in the ledger but its pledges say " +
            std::to_string(expected));
      }
      if (campaign.kind == core::CampaignKind::loan &&
          campaign.status == core::CampaignStatus::succeeded)
        check_loan(tx, campaign, report);
    }
  });
  return report;
}

}  // namespace essor::app
