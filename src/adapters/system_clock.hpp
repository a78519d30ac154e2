// The wall clock, as app::Clock.
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

std::unique_ptr<app::Clock> make_system_clock();

}  // namespace essor::adapters
