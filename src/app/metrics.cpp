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

template <std::size_t N>
void print(std::ostringstream& out, const std::string& name, const auto& histogram,
           const std::array<double, N>& bounds) {
  std::uint64_t cumulative = 0;
  for (std::size_t idx = 0; idx < N; ++idx) {
    cumulative += histogram.buckets[idx];
    out << name << "_bucket{le=\"" << bounds[idx] << "\"} " << cumulative << "\n";
  }
  cumulative += histogram.buckets[N];
  out << name << "_bucket{le=\"+Inf\"} " << cumulative << "\n";
  out << name << "_sum " << histogram.sum << "\n";
  out << name << "_count " << histogram.count << "\n";
}

}  // namespace

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
  return out.str();
}

}  // namespace essor::app
