// One writer with group commit (after LevelDB's DBImpl::Write), for both
// back ends. Callers hand it work; one thread takes everything queued (up
// to max_batch), runs each job inside its own SAVEPOINT of one transaction,
// commits once, and only then wakes every caller of the batch. A job that
// fails or throws is rolled back to its savepoint without touching the
// others. Safe to call from many threads; submit() blocks until durable,
// submit_then() returns at once and calls back once durable (so that no
// thread is parked per write: a crowd of pledges is a queue, not a crowd
// of sleeping threads).
//
// SQLite: the only writer of the file (BEGIN IMMEDIATE), one thread.
// PostgreSQL: a few threads per process, each on a connection of its own
// taking batches from its own queue, so that a crowd of pledges shares a
// few commits (WAL flushes) instead of paying one each, while their round
// trips overlap. Each thread has its own queue (a lane): the jobs of one
// owner (a backer, whose totals rows each of their pledges updates) always
// take the same lane, so that two batches of this process never want the
// same owner's rows at once; jobs without an owner take the lanes in turn.
// Other writers (another instance's, a transaction of its own) may still
// hold a row a job wants; a job after the first of a batch therefore
// waits for a lock at most lock_wait_ms, then is rolled back and run again first in the next batch,
// once this one's locks are released: two batches can never wait for each other (no deadlock),
// whatever their jobs. On PostgreSQL a batch's pledges and transfers are held and written as one
// statement per table (native_hold, store/native.hpp); if such a statement fails, the whole batch
// runs again, each job writing its own rows. A job's work may thus run twice; only its database
// changes of the last run are kept.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/metrics.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

struct GroupWriterOptions {
  Backend backend = Backend::sqlite;
  std::size_t max_batch = 256;
  // PostgreSQL: how long a job other than a batch's first waits for a lock.
  int lock_wait_ms = 50;
  app::Metrics* metrics = nullptr;
  // On a writer thread, after each batch is answered, outside any
  // transaction (SQLite: the WAL written from its start again).
  std::function<void(soci::session&)> between_batches;
  // At a batch's start (PostgreSQL, rows held), given the keys its jobs
  // named (submit_then's ahead, each once, in their order): reads at once
  // what each job will read, as kept reads (native_keep), so that a batch
  // of pledges reads its sessions in one statement, not one each.
  std::function<void(soci::session&, const std::vector<std::string>&)> read_ahead;
};

class GroupWriter {
 public:
  // Returns true to keep its changes, false to roll them back.
  using Work = std::function<bool(soci::session&)>;

  // One thread per session (SQLite: one session).
  GroupWriter(std::vector<std::unique_ptr<soci::session>> sessions, GroupWriterOptions options);
  ~GroupWriter();  // stop()
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Runs work and returns once its outcome is committed; rethrows what the
  // work threw, or the commit's failure.
  void submit(const Work& work);
  // Whose rows a job writes (a user's id), so that one owner's jobs go to
  // one thread; empty: any thread.
  using Owner = std::string_view;
  // Called once, on a writer thread, after the commit: null when the work's
  // outcome is durable, else what the work threw or the commit's failure.
  // It must not block (it hands the answer on).
  using Then = std::function<void(std::exception_ptr)>;
  // Queues work and returns (blocking only while the queue is full); then
  // runs once the outcome is known. ahead: what the work will read, for
  // GroupWriterOptions::read_ahead (empty: nothing).
  void submit_then(Work work, Then then, Owner owner = {}, std::string_view ahead = {});
  // How many jobs wait for a batch (for tests).
  std::size_t waiting();
  // Finishes the queued work (running each then) and stops the threads;
  // once only, and nothing may be submitted after. The store calls it
  // before it closes the readers a then might use.
  void stop();

 private:
  struct Job;
  // A writer thread's queue.
  struct Lane {
    std::deque<Job*> queue;              // GUARDED_BY(mutex_)
    std::condition_variable work_ready;  // its writer waits for jobs
  };
  void run(soci::session& sql, Lane& lane);
  // Runs the batch's jobs in order; returns how many it ran (the rest, from
  // a job that gave up waiting for a lock, go first into the next batch).
  // hold: whether jobs' rows may be held to the batch's end (native_hold).
  std::size_t run_batch(soci::session& sql, std::deque<Job*>& batch, bool hold = true);
  // After held rows failed to be written: the whole batch again, unheld.
  std::size_t run_again_unheld(soci::session& sql, std::deque<Job*>& batch);
  // Begins a batch's transaction and reads ahead for its jobs.
  void begin_batch(soci::session& sql, const std::deque<Job*>& batch, bool hold);
  void begin_job(soci::session& sql, std::size_t index);
  void end_job(soci::session& sql, Job& job, bool keep, bool hold);
  void enqueue(Job* job, Owner owner, std::unique_lock<std::mutex>& lock);

  std::vector<std::unique_ptr<soci::session>> sessions_;
  const GroupWriterOptions options_;
  static constexpr std::size_t kMaxQueued = 4096;

  std::mutex mutex_;
  std::vector<Lane> lanes_;             // one per session
  std::condition_variable space_free_;  // callers wait for queue space
  std::size_t next_lane_ = 0;           // GUARDED_BY(mutex_): for jobs without an owner
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

}  // namespace essor::store
