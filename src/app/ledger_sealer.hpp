// The thread that seals the ledger in one process, for stores that seal
// later (PostgreSQL): woken by each transfer posted unsealed, it waits a
// moment for that transfer's commit and for others to join, then seals
// every committed transfer in batches; it also looks on its own every
// tick, for what another process or a killed one left. Each process runs
// one; they take turns on the head's lock, so there is one chain, whatever
// their number, and a sealer killed mid-batch seals nothing (its
// transaction rolls back) and leaves the batch to the next. A sealer that
// finds the head held does not queue for it: it comes back after the
// gathering wait (the holder seals what was committed before it looked).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/ledger.hpp"

namespace essor::app {

class LedgerSealer {
 public:
  struct Options {
    // Waiting after a wake-up: the posting transaction commits meanwhile,
    // and others join the batch.
    std::chrono::milliseconds gather{10};
    // A look without being woken.
    std::chrono::milliseconds tick{200};
    // Where a failed round is told (the round after tries again).
    std::function<void(const std::string&)> log_error;
    // Told after each round that did not fail (metrics).
    std::function<void(const Ledger::SealRound&)> after_round;
  };
  LedgerSealer(Ledger& ledger, Options options);
  explicit LedgerSealer(Ledger& ledger) : LedgerSealer(ledger, Options{}) {}
  // Stops the thread, then seals what is left (a process stopped cleanly
  // leaves nothing unsealed).
  ~LedgerSealer();
  LedgerSealer(const LedgerSealer&) = delete;
  LedgerSealer& operator=(const LedgerSealer&) = delete;

  void wake();

 private:
  void run();

  Ledger& ledger_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> woken_{false};  // set without the mutex: posting never waits
  bool stopping_ = false;           // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace essor::app
