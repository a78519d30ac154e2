#include "adapters/system_clock.hpp"

#include <chrono>

namespace essor::adapters {
namespace {

class SystemClock final : public app::Clock {
 public:
  explicit SystemClock(int offset_days) : offset_ms_(offset_days * 86'400'000LL) {}
  app::TimestampMs now() const override {
    return app::TimestampMs{std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count() +
                            offset_ms_};
  }

 private:
  std::int64_t offset_ms_;
};

}  // namespace

std::unique_ptr<app::Clock> make_system_clock(int offset_days) {
  return std::make_unique<SystemClock>(offset_days);
}

}  // namespace essor::adapters
