// The single SQLite writer with group commit (after LevelDB's DBImpl::Write).
// Callers hand it work; one thread takes everything queued (up to max_batch),
// runs each job inside its own SAVEPOINT of one BEGIN IMMEDIATE transaction,
// commits once, and only then wakes every caller of the batch. A job that
// fails or throws is rolled back to its savepoint without touching the
// others. Safe to call from many threads; submit() blocks until durable.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "app/metrics.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqliteWriter {
 public:
  // Returns true to keep its changes, false to roll them back.
  using Work = std::function<bool(soci::session&)>;

  SqliteWriter(std::unique_ptr<soci::session> session, std::size_t max_batch,
               app::Metrics* metrics);
  ~SqliteWriter();  // finishes queued work, then stops
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  // Runs work and returns once its outcome is committed; rethrows what the
  // work threw, or the commit's failure.
  void submit(const Work& work);

 private:
  struct Job;
  void run();
  void run_batch(std::deque<Job*>& batch);

  std::unique_ptr<soci::session> session_;
  const std::size_t max_batch_;
  app::Metrics* metrics_;
  static constexpr std::size_t kMaxQueued = 4096;

  std::mutex mutex_;
  std::condition_variable work_ready_;  // the writer waits for jobs
  std::condition_variable space_free_;  // callers wait for queue space
  std::deque<Job*> queue_;              // GUARDED_BY(mutex_)
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace essor::store
