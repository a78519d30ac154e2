// Process metrics, exposed by the web layer at /metrics in the Prometheus
// text format. Safe to use from many threads. Each process keeps its own;
// Prometheus scrapes every instance.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace essor::app {

// The database work done on this thread: the store counts each statement
// it prepares and each read transaction it begins; the web layer reads the
// count before and after a request. (SQLite's writes run on the writer's
// thread and are not in a request's count.)
struct DbWork {
  std::uint64_t statements = 0;
  std::uint64_t read_transactions = 0;
};
DbWork& db_work_of_this_thread();

class Metrics {
 public:
  // route: the route pattern ("/api/v1/orgs/{id}"), never the raw path, so
  // the number of series stays bounded.
  void observe_request(const std::string& method, const std::string& route, int status,
                       double seconds);
  void observe_write_batch(std::size_t jobs);
  // Writes handed to the group-commit writer and not yet answered (queued,
  // or in the batch being committed).
  void add_writes_pending(std::int64_t delta) { writes_pending_.fetch_add(delta); }
  // 1 while this process leads the scheduler, 0 otherwise.
  void set_scheduler_leader(bool leader) { leader_ = leader; }
  // A public page served from the page cache (hit) or rendered (miss).
  void count_page_cache(bool hit) { (hit ? cache_hits_ : cache_misses_).fetch_add(1); }
  // A round of the background ledger sealer (stores that seal later): how
  // many transfers it sealed, or that another sealer held the head.
  void count_seal_round(std::size_t sealed, bool head_held) {
    (head_held ? seal_rounds_held_ : seal_rounds_taken_).fetch_add(1);
    sealed_.fetch_add(sealed);
  }
  // The database work of one request, by route pattern.
  void observe_db_work(const std::string& route, const DbWork& work);
  std::string prometheus_text() const;

 private:
  static constexpr std::array<double, 12> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1,    2.5,   10};
  static constexpr std::array<double, 9> kBatchBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  static constexpr std::array<double, 10> kStatementBounds = {0, 1, 2, 4, 6, 8, 12, 16, 32, 64};

  struct Histogram {
    std::array<std::uint64_t, 13> buckets{};
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct DbHistograms {
    Histogram statements, read_transactions;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t>
      requests_;                                 // GUARDED_BY(mutex_)
  Histogram latency_;                            // GUARDED_BY(mutex_)
  Histogram batches_;                            // GUARDED_BY(mutex_)
  std::map<std::string, DbHistograms> db_work_;  // GUARDED_BY(mutex_), by route
  std::atomic<bool> leader_ = false;
  std::atomic<std::uint64_t> cache_hits_ = 0;
  std::atomic<std::uint64_t> cache_misses_ = 0;
  std::atomic<std::int64_t> writes_pending_ = 0;
  std::atomic<std::uint64_t> seal_rounds_taken_ = 0;
  std::atomic<std::uint64_t> seal_rounds_held_ = 0;
  std::atomic<std::uint64_t> sealed_ = 0;
};

}  // namespace essor::app
