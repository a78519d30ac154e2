// The ledger as the use cases see it: posting a transfer (chained to the
// head inside the caller's transaction), reading the head, and verifying
// the whole chain with the balances it implies.
#pragma once

#include "app/ports.hpp"
#include "core/ledger.hpp"

namespace essor::app {

class Ledger {
 public:
  Ledger(Store& store, Crypto& crypto, Clock& clock)
      : store_(store), crypto_(crypto), clock_(clock) {}

  // Appends a transfer of amount from debit to credit, inside tx. Locks the
  // head first, so concurrent writers (several processes on PostgreSQL)
  // append one after the other.
  core::Transfer post(Tx& tx, const std::string& debit, const std::string& credit,
                      core::Cents amount, const std::string& kind,
                      const std::optional<std::string>& pledge_id,
                      const std::optional<std::string>& campaign_id);

  // A person's money account in the ledger: wallet:<their wallet id>.
  static std::string wallet(ReadTx& tx, const std::string& user_id);
  // Where a pledge's money comes from (and a refund goes back to): the
  // person's own wallet for the "balance" method (re-lending repaid money),
  // else the outside world.
  static std::string source(ReadTx& tx, const std::string& payment_method,
                            const std::string& user_id);

  // What a user may spend or withdraw: the balance of their wallet less the
  // withdrawals asked for and not yet executed. Call after post() or
  // Tx::lock_ledger_head() in a write, so that two requests cannot spend
  // the same money.
  static core::Cents available_balance(ReadTx& tx, const std::string& user_id);

  LedgerHead head();
  // The whole chain, a page at a time: up to limit transfers after after_seq.
  std::vector<core::Transfer> after(std::int64_t after_seq, std::int64_t limit);
  // A campaign's transfers in chain order.
  std::vector<core::Transfer> of_campaign(const std::string& campaign_id, std::int64_t limit,
                                          std::int64_t offset);

  // Recomputes the chain and the balances, and checks them against what the
  // campaigns and pledges say. Empty problems: intact.
  core::ChainReport verify();

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
