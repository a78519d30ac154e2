// Helpers that run a use case's work in a transaction and carry its Result
// out: committed when the work succeeds, rolled back when it fails.
#pragma once

#include <optional>

#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

template <class T, class F>
core::Result<T> write_result(Store& store, F&& work) {
  std::optional<core::Result<T>> out;
  store.write([&](Tx& tx) {
    out.emplace(work(tx));
    return out->ok();
  });
  return std::move(*out);
}

template <class T, class F>
T read_value(Store& store, F&& work) {
  std::optional<T> out;
  store.read([&](ReadTx& tx) { out.emplace(work(tx)); });
  return std::move(*out);
}

}  // namespace essor::app
