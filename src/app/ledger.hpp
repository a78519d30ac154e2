// The ledger as the use cases see it: posting a transfer inside the
// caller's transaction, sealing, reading the head, and verifying the whole
// chain with the balances it implies.
//
// Two ways to chain, as the store says (Store::seals_ledger_later): in the
// transaction that posts (SQLite's one writer orders them anyway), or
// later: the transfer commits unsealed, so that pledges never queue on the
// head's row lock and its fsync, and seal() gives committed transfers
// their place in the chain in batches, under the head's lock (the
// LedgerSealer's thread in each process, and any ledger read first).
#pragma once

#include <atomic>
#include <functional>

#include "app/ports.hpp"
#include "core/id.hpp"
#include "core/ledger.hpp"

namespace essor::app {

class Ledger {
 public:
  // sealing_store: where seal() writes, when not store; sealing changes
  // nothing a page shows, so the web layer's counting store need not see
  // it (and kept pages stay kept).
  Ledger(Store& store, Crypto& crypto, Clock& clock, Store* sealing_store = nullptr)
      : store_(store),
        sealing_(sealing_store ? *sealing_store : store),
        crypto_(crypto),
        clock_(clock) {}

  // Appends a transfer of amount from debit to credit, inside tx: chained
  // at once (the head locked first; returned with its seq and hash), or
  // unsealed for the sealer (returned with seq 0 and no hash yet).
  core::Transfer post(Tx& tx, const std::string& debit, const std::string& credit,
                      core::Cents amount, core::TransferKind kind,
                      const std::optional<std::string>& pledge_id,
                      const std::optional<core::CampaignId>& campaign_id);

  // A person's money account in the ledger: wallet:<their wallet id>.
  static std::string wallet(ReadTx& tx, const core::UserId& user_id);
  // Where a pledge's money comes from (and a refund goes back to): the
  // person's own wallet for the "balance" method (re-lending repaid money),
  // else the outside world.
  static std::string source(ReadTx& tx, core::PaymentMethod payment_method,
                            const core::UserId& user_id);

  // What a user may spend or withdraw: the balance of their wallet less the
  // withdrawals asked for and not yet executed. Call after post() or
  // Tx::lock_wallet() in a write, so that two requests cannot spend the
  // same money.
  static core::Cents available_balance(ReadTx& tx, const core::UserId& user_id);

  // Seals up to max_batch committed transfers in one transaction; returns
  // how many. Several sealers (threads, processes) take turns on the head.
  std::size_t seal(std::size_t max_batch = 1000);
  // Seals until nothing committed before the call waits.
  std::size_t seal_all();
  // The background sealer's round: seal_all(), except that when another
  // sealer holds the head it stops at once (head_held) instead of queuing
  // for it. That sealer seals what was committed before it looked, and
  // the caller comes back a moment later for the rest: the sealers of
  // several processes then share the work instead of each waiting for
  // the other's commit and sealing again after it.
  struct SealRound {
    std::size_t sealed = 0;
    bool head_held = false;
  };
  SealRound seal_unless_held();
  // Called after each transfer posted unsealed (the sealer wakes up).
  void on_unsealed(std::function<void()> wake) { wake_ = std::move(wake); }
  // How long a committed transfer may stay unsealed before verify() calls
  // it a problem.
  static constexpr std::int64_t kSealWithinMs = 60'000;

  // The reads below seal first what waits (so a reader sees the pledge it
  // just made), then read the sealed chain.
  LedgerHead head();
  // The whole chain, a page at a time: up to limit transfers after after_seq.
  std::vector<core::Transfer> after(std::int64_t after_seq, std::int64_t limit);
  // A campaign's transfers in chain order.
  std::vector<core::Transfer> of_campaign(const core::CampaignId& campaign_id, std::int64_t limit,
                                          std::int64_t offset);

  // Recomputes the chain and the balances, and checks them against what the
  // campaigns and pledges say. Empty problems: intact.
  core::ChainReport verify();

 private:
  // Up to max_batch, as seal(); nothing if another sealer holds the head
  // and wait is HeadWait::skip_if_held.
  std::optional<std::size_t> seal_batch(std::size_t max_batch, HeadWait wait);
  // Batches until one is short of full, or the head is held.
  SealRound seal_batches(HeadWait wait);
  Store& store_;
  Store& sealing_;
  Crypto& crypto_;
  Clock& clock_;
  std::function<void()> wake_;  // set before serving starts
};

}  // namespace essor::app
