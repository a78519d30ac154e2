// The wall clock, as app::Clock.
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

// offset_days: the clock runs that many days ahead (ESSOR_CLOCK_OFFSET_DAYS, tests).
std::unique_ptr<app::Clock> make_system_clock(int offset_days = 0);

}  // namespace essor::adapters
