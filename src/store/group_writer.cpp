#include "store/group_writer.hpp"

#include <pthread.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <exception>
#include <string>

#include "store/native.hpp"

namespace essor::store {

struct GroupWriter::Job {
  const Work* work;
  std::exception_ptr error;
  bool done = false;
  std::condition_variable finished;
  // A job of submit_then: owns its work, calls then when done (and is
  // deleted by the writer).
  Work owned;
  Then then;
  std::string ahead;  // GroupWriterOptions::read_ahead's key, or empty
};

namespace {

// Whether a job's failure is a lock it gave up waiting for, through the
// native statements or SOCI's (PostgreSQL's lock_not_available and
// deadlock_detected).
bool gave_up_waiting(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const LockWaitAbandoned&) {
    return true;
  } catch (const soci::postgresql_soci_error& e) {
    return e.sqlstate() == "55P03" || e.sqlstate() == "40P01";
  } catch (...) {
    return false;
  }
}

}  // namespace

GroupWriter::GroupWriter(std::vector<std::unique_ptr<soci::session>> sessions,
                         GroupWriterOptions options)
    : sessions_(std::move(sessions)), options_(options), lanes_(sessions_.size()) {
  for (std::size_t idx = 0; idx < sessions_.size(); ++idx) {
    soci::session* sql = sessions_[idx].get();
    Lane* lane = &lanes_[idx];
    threads_.emplace_back([this, sql, lane] {
      // Named for top -H, perf and bench/cpu_share.py.
      pthread_setname_np(pthread_self(), "essor-writer");
      run(*sql, *lane);
    });
  }
}

GroupWriter::~GroupWriter() {
  stop();
}

void GroupWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  for (auto& lane : lanes_) lane.work_ready.notify_all();
  for (auto& thread : threads_) thread.join();
  for (auto& session : sessions_)
    native_forget(*session, options_.backend);  // before the session closes its connection
}

void GroupWriter::enqueue(Job* job, Owner owner, std::unique_lock<std::mutex>& lock) {
  Lane& lane = lanes_[owner.empty() ? next_lane_++ % lanes_.size()
                                    : std::hash<std::string_view>{}(owner) % lanes_.size()];
  space_free_.wait(lock, [&] { return lane.queue.size() < kMaxQueued; });
  if (options_.metrics) options_.metrics->add_writes_pending(1);
  lane.queue.push_back(job);
  lane.work_ready.notify_one();
}

void GroupWriter::submit(const Work& work) {
  Job job{&work, nullptr, false, {}, {}, {}, {}};
  std::unique_lock lock(mutex_);
  enqueue(&job, {}, lock);
  job.finished.wait(lock, [&] { return job.done; });
  if (job.error) std::rethrow_exception(job.error);
}

void GroupWriter::submit_then(Work work, Then then, Owner owner, std::string_view ahead) {
  std::unique_ptr<Job> job(
      new Job{nullptr, nullptr, false, {}, std::move(work), std::move(then), std::string(ahead)});
  job->work = &job->owned;
  std::unique_lock lock(mutex_);
  enqueue(job.get(), owner, lock);
  job.release();  // the writer's now
}

std::size_t GroupWriter::waiting() {
  std::lock_guard lock(mutex_);
  std::size_t out = 0;
  for (const auto& lane : lanes_) out += lane.queue.size();
  return out;
}

void GroupWriter::run(soci::session& sql, Lane& lane) {
  std::deque<Job*> batch;
  auto& queue = lane.queue;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      lane.work_ready.wait(lock, [&] { return stopping_ || !queue.empty(); });
      if (queue.empty()) return;  // stopping and nothing left
      while (!queue.empty() && batch.size() < options_.max_batch) {
        batch.push_back(queue.front());
        queue.pop_front();
      }
    }
    space_free_.notify_all();
    const std::size_t ran = run_batch(sql, batch);
    if (options_.metrics) {
      options_.metrics->observe_write_batch(ran);
      options_.metrics->add_writes_pending(-static_cast<std::int64_t>(ran));
    }
    // The jobs of submit_then are answered outside the lock.
    for (std::size_t idx = 0; idx < ran; ++idx) {
      if (!batch[idx]->then) continue;
      const std::unique_ptr<Job> job(batch[idx]);
      batch[idx] = nullptr;
      try {
        job->then(job->error);
      } catch (...) {
        // Then must not throw; the writer goes on whatever it does.
      }
    }
    {
      std::lock_guard lock(mutex_);
      for (std::size_t idx = 0; idx < ran; ++idx) {
        if (!batch[idx]) continue;
        batch[idx]->done = true;
        batch[idx]->finished.notify_one();
      }
      // The job that gave up waiting, and those after it, lead the next
      // batch in their order.
      for (std::size_t idx = batch.size(); idx > ran; --idx) queue.push_front(batch[idx - 1]);
    }
    batch.clear();
    if (options_.between_batches) {
      try {
        options_.between_batches(sql);
      } catch (...) {
        // Housekeeping: the next batch goes on whatever it did.
      }
    }
  }
}

void GroupWriter::begin_batch(soci::session& sql, const std::deque<Job*>& batch, bool hold) {
  const Backend backend = options_.backend;
  if (backend != Backend::postgresql) {
    native_query(sql, backend, "BEGIN IMMEDIATE", {});
    return;
  }
  native_defer(sql, backend, "BEGIN", {});  // with the first statement
  // Kept reads last while rows are held: unheld, each job reads its own.
  if (!hold || !options_.read_ahead) return;
  std::vector<std::string> keys;
  for (const Job* job : batch) {
    if (!job->ahead.empty() && std::find(keys.begin(), keys.end(), job->ahead) == keys.end())
      keys.push_back(job->ahead);
  }
  if (keys.empty()) return;
  try {
    options_.read_ahead(sql, keys);
  } catch (...) {
    // Each job then reads its own (and meets the same failure if it lasts).
    native_rollback(sql, backend);
    native_defer(sql, backend, "BEGIN", {});
  }
}

void GroupWriter::begin_job(soci::session& sql, std::size_t index) {
  if (options_.backend == Backend::postgresql && index == 1) {
    // From the second job on, a lock held elsewhere is not waited for
    // long (set outside any job's savepoint, so it lasts the batch).
    native_defer(sql, options_.backend, "SELECT set_config('lock_timeout', ?, true)",
                 {std::to_string(options_.lock_wait_ms) + "ms"}, Held::unaffected);
  }
  // Kept prepared and, on PostgreSQL, sent with the job's first statement.
  native_defer(sql, options_.backend, "SAVEPOINT job", {}, Held::unaffected);
  native_hold_job(sql, options_.backend, index);
}

void GroupWriter::end_job(soci::session& sql, Job& job, bool keep, bool hold) {
  if (keep && hold && options_.backend == Backend::postgresql) {
    // Its last writes and its savepoint's release go with the next job's
    // first round trip (or the commit); if they fail, the batch runs again.
    native_defer(sql, options_.backend, "RELEASE SAVEPOINT job", {}, Held::unaffected);
    native_hold_deferred(sql, options_.backend);
    return;
  }
  if (keep) {
    try {
      // On PostgreSQL this also sends the job's deferred writes: their
      // failure is the job's.
      native_query(sql, options_.backend, "RELEASE SAVEPOINT job", {}, Held::unaffected);
      return;
    } catch (...) {
      job.error = std::current_exception();
    }
  }
  try {
    // The savepoint itself may still wait to be sent.
    native_flush(sql, options_.backend, Held::unaffected);
  } catch (...) {
    // A write of the job failed: rolled back just below.
  }
  native_query(sql, options_.backend, "ROLLBACK TO SAVEPOINT job", {}, Held::unaffected);
  native_hold_undo_job(sql, options_.backend);
  native_query(sql, options_.backend, "RELEASE SAVEPOINT job", {}, Held::unaffected);
}

std::size_t GroupWriter::run_again_unheld(soci::session& sql, std::deque<Job*>& batch) {
  native_rollback(sql, options_.backend);
  for (Job* job : batch) job->error = nullptr;
  return run_batch(sql, batch, false);
}

std::size_t GroupWriter::run_batch(soci::session& sql, std::deque<Job*>& batch, bool hold) {
  const Backend backend = options_.backend;
  // PostgreSQL: the jobs' pledges and transfers held to the end,
  // one statement per table for the batch (native_hold).
  native_hold_batch(sql, backend, hold);
  struct StopHolding {
    soci::session& sql;
    Backend backend;
    ~StopHolding() { native_hold_batch(sql, backend, false); }
  } stop_holding{sql, backend};
  try {
    begin_batch(sql, batch, hold);
  } catch (...) {
    for (Job* job : batch) job->error = std::current_exception();
    return batch.size();
  }
  std::size_t ran = 0;
  for (; ran < batch.size(); ++ran) {
    Job& job = *batch[ran];
    try {
      begin_job(sql, ran);
      bool keep = false;
      try {
        keep = (*job.work)(sql);
      } catch (...) {
        job.error = std::current_exception();
      }
      end_job(sql, job, keep && !job.error, hold);
      // A statement of held rows failed inside this job: whose row broke
      // it is unknown, so every job runs again, each writing its own rows.
      if (native_hold_failed(sql, backend)) return run_again_unheld(sql, batch);
      if (ran > 0 && job.error && gave_up_waiting(job.error)) {
        job.error = nullptr;  // tried again, first of the next batch
        break;
      }
    } catch (...) {
      // The savepoint commands themselves failed: the transaction is not
      // trustworthy any more, so nobody in this batch gets a commit.
      const auto error = std::current_exception();
      for (Job* each : batch) each->error = error;
      native_rollback(sql, backend);
      return batch.size();
    }
  }
  try {
    native_flush(sql, backend);  // the rows still held
    native_query(sql, backend, "COMMIT", {});
  } catch (...) {
    if (native_hold_failed(sql, backend)) return run_again_unheld(sql, batch);
    const auto error = std::current_exception();
    for (std::size_t idx = 0; idx < ran; ++idx) batch[idx]->error = error;
    native_rollback(sql, backend);
  }
  return ran;
}

}  // namespace essor::store
