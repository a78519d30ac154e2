#include "store/sqlite_writer.hpp"

#include <soci/soci.h>

#include <exception>

#include "store/native.hpp"

namespace essor::store {

struct SqliteWriter::Job {
  const Work* work;
  std::exception_ptr error;
  bool done = false;
  std::condition_variable finished;
};

SqliteWriter::SqliteWriter(std::unique_ptr<soci::session> session, std::size_t max_batch,
                           app::Metrics* metrics)
    : session_(std::move(session)), max_batch_(max_batch), metrics_(metrics) {
  thread_ = std::thread([this] { run(); });
}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  thread_.join();
  native_forget(*session_, Backend::sqlite);  // before the session closes its connection
}

void SqliteWriter::submit(const Work& work) {
  Job job{&work, nullptr, false, {}};
  std::unique_lock lock(mutex_);
  space_free_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
  queue_.push_back(&job);
  work_ready_.notify_one();
  job.finished.wait(lock, [&] { return job.done; });
  if (job.error) std::rethrow_exception(job.error);
}

void SqliteWriter::run() {
  std::deque<Job*> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and nothing left
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    space_free_.notify_all();
    run_batch(batch);
    {
      std::lock_guard lock(mutex_);
      for (Job* job : batch) {
        job->done = true;
        job->finished.notify_one();
      }
    }
    if (metrics_) metrics_->observe_write_batch(batch.size());
    batch.clear();
  }
}

void SqliteWriter::run_batch(std::deque<Job*>& batch) {
  soci::session& sql = *session_;
  try {
    native_query(sql, Backend::sqlite, "BEGIN IMMEDIATE", {});
  } catch (...) {
    for (Job* job : batch) job->error = std::current_exception();
    return;
  }
  for (Job* job : batch) {
    try {
      // Kept prepared (native_query): three statements per job, run
      // thousands of times a second under a crowd of pledges.
      native_query(sql, Backend::sqlite, "SAVEPOINT job", {});
      bool keep = false;
      try {
        keep = (*job->work)(sql);
      } catch (...) {
        job->error = std::current_exception();
      }
      if (!keep) native_query(sql, Backend::sqlite, "ROLLBACK TO SAVEPOINT job", {});
      native_query(sql, Backend::sqlite, "RELEASE SAVEPOINT job", {});
    } catch (...) {
      // The savepoint commands themselves failed: the transaction is not
      // trustworthy any more, so nobody in this batch gets a commit.
      const auto error = std::current_exception();
      for (Job* each : batch) each->error = error;
      try {
        sql << "ROLLBACK";
      } catch (...) {
      }
      return;
    }
  }
  try {
    native_query(sql, Backend::sqlite, "COMMIT", {});
  } catch (...) {
    const auto error = std::current_exception();
    for (Job* job : batch) job->error = error;
    try {
      sql << "ROLLBACK";
    } catch (...) {
    }
  }
}

}  // namespace essor::store
