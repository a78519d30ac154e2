#include "app/metrics.hpp"

#include <sstream>
#include <tuple>

namespace essor::app {
namespace {

template <std::size_t N>
void add(auto& histogram, const std::array<double, N>& bounds, double value) {
  std::size_t idx = 0;
  while (idx < N && value > bounds[idx]) ++idx;
  ++histogram.buckets[idx];
  histogram.sum += value;
  ++histogram.count;
}

// labels: empty, or `route="…",` (with its comma) for a series by route.
template <std::size_t N>
void print(std::ostringstream& out, const std::string& name, const auto& histogram,
           const std::array<double, N>& bounds, const std::string& labels = "") {
  std::uint64_t cumulative = 0;
  for (std::size_t idx = 0; idx < N; ++idx) {
    cumulative += histogram.buckets[idx];
    out << name << "_bucket{" << labels << "le=\"" << bounds[idx] << "\"} " << cumulative << "\n";
  }
  cumulative += histogram.buckets[N];
  out << name << "_bucket{" << labels << "le=\"+Inf\"} " << cumulative << "\n";
  const std::string braces = labels.empty() ? "" : "{" + labels.substr(0, labels.size() - 1) + "}";
  out << name << "_sum" << braces << " " << histogram.sum << "\n";
  out << name << "_count" << braces << " " << histogram.count << "\n";
}

}  // namespace

DbWork& db_work_of_this_thread() {
  thread_local DbWork work;
  return work;
}

void Metrics::observe_db_work(const std::string& route, const DbWork& work) {
  std::lock_guard lock(mutex_);
  auto& histograms = db_work_[route];
  add(histograms.statements, kStatementBounds, static_cast<double>(work.statements));
  add(histograms.read_transactions, kStatementBounds, static_cast<double>(work.read_transactions));
}

void Metrics::observe_request(const std::string& method, const std::string& route, int status,
                              double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[std::make_tuple(method, route, status)];
  add(latency_, kLatencyBounds, seconds);
}

void Metrics::observe_write_batch(std::size_t jobs) {
  std::lock_guard lock(mutex_);
  add(batches_, kBatchBounds, static_cast<double>(jobs));
}

std::string Metrics::prometheus_text() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP essor_scheduler_leader 1 while this process runs the scheduler's work.\n"
      << "# TYPE essor_scheduler_leader gauge\n"
      << "essor_scheduler_leader " << (leader_.load() ? 1 : 0) << "\n";
  out << "# HELP essor_page_cache_total Public pages for anonymous visitors, by outcome.\n"
      << "# TYPE essor_page_cache_total counter\n"
      << "essor_page_cache_total{outcome=\"hit\"} " << cache_hits_.load() << "\n"
      << "essor_page_cache_total{outcome=\"miss\"} " << cache_misses_.load() << "\n";
  out << "# HELP essor_ledger_seal_rounds_total The background sealer's rounds: the head taken, "
         "or held by another sealer (that round left the rest to a moment later).\n"
      << "# TYPE essor_ledger_seal_rounds_total counter\n"
      << "essor_ledger_seal_rounds_total{head=\"taken\"} " << seal_rounds_taken_.load() << "\n"
      << "essor_ledger_seal_rounds_total{head=\"held\"} " << seal_rounds_held_.load() << "\n";
  out << "# HELP essor_ledger_sealed_total Transfers this process's background sealer sealed.\n"
      << "# TYPE essor_ledger_sealed_total counter\n"
      << "essor_ledger_sealed_total " << sealed_.load() << "\n";
  out << "# HELP essor_http_requests_total HTTP requests by method, route pattern and status.\n"
      << "# TYPE essor_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "essor_http_requests_total{method=\"" << std::get<0>(key) << "\",route=\""
        << std::get<1>(key) << "\",status=\"" << std::get<2>(key) << "\"} " << count << "\n";
  }
  out << "# HELP essor_http_request_duration_seconds Time from request read to response ready.\n"
      << "# TYPE essor_http_request_duration_seconds histogram\n";
  print(out, "essor_http_request_duration_seconds", latency_, kLatencyBounds);
  out << "# HELP essor_store_write_batch_jobs Write jobs committed together (group commit).\n"
      << "# TYPE essor_store_write_batch_jobs histogram\n";
  print(out, "essor_store_write_batch_jobs", batches_, kBatchBounds);
  out << "# HELP essor_store_writes_pending Writes handed to the group-commit writer and not "
         "yet answered.\n"
      << "# TYPE essor_store_writes_pending gauge\n"
      << "essor_store_writes_pending " << writes_pending_.load() << "\n";
  out << "# HELP essor_db_statements_per_request SQL statements a request ran on its own "
         "thread, by route pattern.\n"
      << "# TYPE essor_db_statements_per_request histogram\n";
  for (const auto& [route, histograms] : db_work_) {
    print(out, "essor_db_statements_per_request", histograms.statements, kStatementBounds,
          "route=\"" + route + "\",");
  }
  out << "# HELP essor_db_read_transactions_per_request Read transactions a request began, by "
         "route pattern.\n"
      << "# TYPE essor_db_read_transactions_per_request histogram\n";
  for (const auto& [route, histograms] : db_work_) {
    print(out, "essor_db_read_transactions_per_request", histograms.read_transactions,
          kStatementBounds, "route=\"" + route + "\",");
  }
  return out.str();
}

}  // namespace essor::app
