#include "app/ledger.hpp"

#include <limits>
#include <stdexcept>

#include "core/id.hpp"

namespace essor::app {

core::Transfer Ledger::post(Tx& tx, const std::string& debit, const std::string& credit,
                            core::Cents amount, core::TransferKind kind,
                            const std::optional<std::string>& pledge_id,
                            const std::optional<core::CampaignId>& campaign_id) {
  core::Transfer transfer;
  transfer.id = crypto_.random_id();
  transfer.debit_account = debit;
  transfer.credit_account = credit;
  transfer.amount_cents = amount;
  transfer.kind = kind;
  transfer.pledge_id = pledge_id;
  transfer.campaign_id = campaign_id;
  transfer.created_at = clock_.now();
  // A programmer's mistake, never user input: callers validated amounts.
  if (auto problem = core::check_transfer(transfer))
    throw std::logic_error("bad transfer: " + *problem);
  if (store_.seals_ledger_later()) {
    tx.ledger().append_unsealed(transfer);
    if (wake_) wake_();
    return transfer;
  }
  const LedgerHead head = *tx.ledger().lock_ledger_head(HeadWait::queue);
  transfer.seq = head.seq + 1;
  transfer.prev_hash = head.hash;
  transfer.hash = core::chain_hash(
      head.hash, transfer, [this](const std::string& bytes) { return crypto_.sha256_hex(bytes); });
  tx.ledger().append_transfer(transfer);
  return transfer;
}

std::string Ledger::wallet(ReadTx& tx, const core::UserId& user_id) {
  return core::wallet_account(tx.accounts().wallet_of(user_id));
}

std::string Ledger::source(ReadTx& tx, core::PaymentMethod payment_method,
                           const core::UserId& user_id) {
  return payment_method == core::PaymentMethod::balance ? wallet(tx, user_id)
                                                        : core::external_account(payment_method);
}

core::Cents Ledger::available_balance(ReadTx& tx, const core::UserId& user_id) {
  return tx.ledger().available_balance(user_id);
}

std::size_t Ledger::seal(std::size_t max_batch) {
  return *seal_batch(max_batch, HeadWait::queue);
}

std::optional<std::size_t> Ledger::seal_batch(std::size_t max_batch, HeadWait wait) {
  if (!store_.seals_ledger_later()) return 0;
  // A look first, on a read connection: nothing waits most of the time,
  // and then no one queues on the head's lock for nothing.
  bool waiting = false;
  sealing_.read_statement(
      [&](ReadTx& tx) { waiting = !tx.ledger().unsealed_transfers(1).empty(); });
  if (!waiting) return 0;
  std::optional<std::size_t> sealed;
  // Its own transaction: the head's lock held for the seal only.
  sealing_.write_alone([&](Tx& tx) {
    sealed = 0;
    const auto locked = tx.ledger().lock_ledger_head(wait);
    if (!locked) {
      sealed = std::nullopt;
      return false;
    }
    LedgerHead head = *locked;
    auto batch = tx.ledger().unsealed_transfers(static_cast<std::int64_t>(max_batch));
    if (batch.empty()) return false;  // another sealer took them
    for (auto& unsealed : batch) {
      auto& transfer = unsealed.transfer;
      transfer.seq = head.seq + 1;
      transfer.prev_hash = head.hash;
      transfer.hash = core::chain_hash(head.hash, transfer, [this](const std::string& bytes) {
        return crypto_.sha256_hex(bytes);
      });
      head = LedgerHead{transfer.seq, transfer.hash};
    }
    tx.ledger().seal(batch, head);
    sealed = batch.size();
    return true;
  });
  return sealed;
}

Ledger::SealRound Ledger::seal_batches(HeadWait wait) {
  constexpr std::size_t kBatch = 1000;
  SealRound round;
  // A batch short of full: everything committed before it began is sealed.
  for (std::size_t n = kBatch; n == kBatch;) {
    const auto sealed = seal_batch(kBatch, wait);
    if (!sealed) {
      round.head_held = true;
      break;
    }
    n = *sealed;
    round.sealed += n;
  }
  return round;
}

std::size_t Ledger::seal_all() {
  return seal_batches(HeadWait::queue).sealed;
}

Ledger::SealRound Ledger::seal_unless_held() {
  return seal_batches(HeadWait::skip_if_held);
}

LedgerHead Ledger::head() {
  seal_all();
  LedgerHead head;
  store_.read([&](ReadTx& tx) { head = tx.ledger().ledger_head(); });
  return head;
}

std::vector<core::Transfer> Ledger::after(std::int64_t after_seq, std::int64_t limit) {
  seal_all();
  std::vector<core::Transfer> out;
  store_.read([&](ReadTx& tx) { out = tx.ledger().transfers_after(after_seq, limit); });
  return out;
}

std::vector<core::Transfer> Ledger::of_campaign(const core::CampaignId& campaign_id,
                                                std::int64_t limit, std::int64_t offset) {
  seal_all();
  std::vector<core::Transfer> out;
  store_.read(
      [&](ReadTx& tx) { out = tx.ledger().transfers_of_campaign(campaign_id, limit, offset); });
  return out;
}

namespace {

// A succeeded loan: the contracts hold what the lenders' confirmed pledges
// say, and every repayment recorded is in the ledger, in and out, and in
// the lenders' allocations.
void check_loan(ReadTx& tx, const CampaignRecord& campaign,
                const std::vector<UnsealedTransfer>& unsealed, core::ChainReport& report) {
  core::Cents pledged = 0, contracted = 0, allocated = 0, repaid = 0, paid_in = 0, paid_out = 0;
  for (const auto& pledge :
       tx.pledges().pledges_of_campaign(campaign.id, core::PledgeStatus::confirmed))
    pledged += pledge.amount_cents;
  for (const auto& contract : tx.loans().loan_contracts(campaign.id)) {
    contracted += contract.amount_cents;
    allocated += contract.repaid_principal_cents + contract.repaid_interest_cents;
  }
  for (const auto& repayment : tx.loans().repayments_of_campaign(campaign.id))
    if (repayment.status == core::RepaymentStatus::confirmed) repaid += repayment.amount_cents;
  for (std::int64_t offset = 0;; offset += 1000) {
    const auto transfers = tx.ledger().transfers_of_campaign(campaign.id, 1000, offset);
    for (const auto& t : transfers) {
      if (t.kind == core::TransferKind::repayment_in) paid_in += t.amount_cents;
      if (t.kind == core::TransferKind::repayment) paid_out += t.amount_cents;
    }
    if (transfers.size() < 1000) break;
  }
  for (const auto& waiting : unsealed) {
    if (waiting.transfer.campaign_id != campaign.id) continue;
    if (waiting.transfer.kind == core::TransferKind::repayment_in)
      paid_in += waiting.transfer.amount_cents;
    if (waiting.transfer.kind == core::TransferKind::repayment)
      paid_out += waiting.transfer.amount_cents;
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
    tx.ledger().for_each_transfer([&](const core::Transfer& transfer) { verifier.add(transfer); });
    const LedgerHead head = tx.ledger().ledger_head();
    report = verifier.finish(head.hash, head.seq);
    // Committed transfers not yet sealed (PostgreSQL): money that moved,
    // so in the balances; a problem once one waits longer than the bound.
    const auto unsealed = tx.ledger().unsealed_transfers(std::numeric_limits<std::int64_t>::max());
    const TimestampMs now = clock_.now();
    std::int64_t stale = 0;
    for (const auto& waiting : unsealed) {
      if (auto bad = core::check_transfer(waiting.transfer))
        report.problems.push_back("unsealed transfer " + waiting.transfer.id + ": " + *bad);
      core::apply(report.balances, waiting.transfer);
      if (waiting.transfer.created_at < now - kSealWithinMs) ++stale;
    }
    if (stale > 0) {
      report.problems.push_back(std::to_string(stale) + " committed transfer(s) waited more than " +
                                std::to_string(kSealWithinMs / 1000) +
                                " s to be sealed: is any essor serve running?");
    }
    // Each campaign's account must hold what its pledges say: confirmed
    // money while live, nothing once resolved (paid out or refunded).
    CampaignFilter filter;
    filter.limit = 1'000'000;
    for (const auto& campaign : tx.campaigns().list_campaigns(filter)) {
      const auto account = core::campaign_account(campaign.id);
      const auto it = report.balances.find(account);
      const core::Cents balance = it == report.balances.end() ? core::Cents{0} : it->second;
      core::Cents expected = 0;
      if (campaign.status == core::CampaignStatus::live) {
        for (const auto& pledge :
             tx.pledges().pledges_of_campaign(campaign.id, core::PledgeStatus::confirmed)) {
          expected += pledge.amount_cents;
        }
        // And what a funder's call matched, not given back.
        for (const auto& match : tx.calls().active_matches_of_campaign(campaign.id))
          expected += match.amount_cents;
      }
      if (balance != expected) {
        report.problems.push_back(
            "campaign " + campaign.id + " (" + core::to_string(campaign.status) + ") holds " +
            std::to_string(balance) + " cents in the ledger but its pledges say " +
            std::to_string(expected));
      }
      if (campaign.kind == core::CampaignKind::loan &&
          campaign.status == core::CampaignStatus::succeeded)
        check_loan(tx, campaign, unsealed, report);
    }
    // Each funder's call holds its pool less what its matches hold.
    for (const auto& call : tx.calls().list_calls(1'000'000, 0)) {
      const auto it = report.balances.find(core::call_account(call.id));
      const core::Cents balance = it == report.balances.end() ? core::Cents{0} : it->second;
      if (balance != call.terms.pool_cents - call.committed_cents) {
        report.problems.push_back("call " + call.id + " holds " + std::to_string(balance) +
                                  " cents in the ledger but its pool less its matches is " +
                                  std::to_string(call.terms.pool_cents - call.committed_cents));
      }
    }
  });
  return report;
}

}  // namespace essor::app
