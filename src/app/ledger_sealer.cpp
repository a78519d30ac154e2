#include "app/ledger_sealer.hpp"

#include <pthread.h>

#include <exception>

namespace essor::app {

LedgerSealer::LedgerSealer(Ledger& ledger, Options options)
    : ledger_(ledger), options_(options), thread_([this] { run(); }) {
  ledger_.on_unsealed([this] { wake(); });
}

LedgerSealer::~LedgerSealer() {
  ledger_.on_unsealed(nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  try {
    ledger_.seal_all();
  } catch (const std::exception& e) {
    if (options_.log_error) options_.log_error(e.what());
  }
}

void LedgerSealer::wake() {
  if (woken_.exchange(true, std::memory_order_acq_rel)) return;  // already told
  { std::lock_guard lock(mutex_); }  // the thread is waiting or will see the flag
  wake_.notify_one();
}

void LedgerSealer::run() {
  pthread_setname_np(pthread_self(), "essor-sealer");  // for top -H and perf
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.tick, [this] { return woken_ || stopping_; });
    if (stopping_) break;
    if (woken_) {
      // Gathering: the transfer that woke us commits, others join.
      wake_.wait_for(lock, options_.gather, [this] { return stopping_; });
      woken_.store(false, std::memory_order_release);
    }
    lock.unlock();
    try {
      // Another process's sealer holding the head seals what was committed
      // before it looked; the rest is ours, after a gathering wait.
      const auto round = ledger_.seal_unless_held();
      if (round.head_held) woken_.store(true, std::memory_order_release);
      if (options_.after_round) options_.after_round(round);
    } catch (const std::exception& e) {
      // The database went away or another sealer won a race: the next
      // round tries again; nothing was half sealed.
      if (options_.log_error) options_.log_error(e.what());
    }
    lock.lock();
  }
}

}  // namespace essor::app
