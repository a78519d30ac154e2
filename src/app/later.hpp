// The outcome of a use case that finishes on another thread (see
// Store::write_then): its result, or what the store threw.
#pragma once

#include <exception>
#include <optional>

#include "core/error.hpp"

namespace essor::app {

template <class T>
struct Later {
  std::optional<core::Result<T>> result;  // unset when the store failed
  std::exception_ptr failure;

  // The result; rethrows what the store threw.
  core::Result<T>& get() {
    if (failure) std::rethrow_exception(failure);
    return *result;
  }
};

}  // namespace essor::app
