#include "adapters/system_clock.hpp"

#include <chrono>

namespace essor::adapters {
namespace {

class SystemClock final : public app::Clock {
 public:
  app::TimestampMs now() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

std::unique_ptr<app::Clock> make_system_clock() {
  return std::make_unique<SystemClock>();
}

}  // namespace essor::adapters
