// An integer read from a row. The column's meaning is the field it goes to:
// assigned to money it becomes core::Cents, to an instant core::TimestampMs,
// to a count a plain integer. This is where the store's numbers become the
// core's quantities (core/quantity.hpp), once, so the row mappings do not
// spell the type the record's field already declares.
#pragma once

#include <cstdint>
#include <optional>

#include "core/quantity.hpp"

namespace essor::store {

struct RowInteger {
  std::int64_t value = 0;
  operator std::int64_t() const { return value; }  // NOLINT: implicit on purpose
  template <class Tag>
  operator core::Quantity<Tag>() const {  // NOLINT: implicit on purpose
    return core::Quantity<Tag>{value};
  }
};

// The same for a column that may be NULL.
struct RowOptionalInteger {
  std::optional<std::int64_t> value;
  operator std::optional<std::int64_t>() const { return value; }  // NOLINT
  template <class Tag>
  operator std::optional<core::Quantity<Tag>>() const {  // NOLINT
    if (!value) return std::nullopt;
    return core::Quantity<Tag>{*value};
  }
};

}  // namespace essor::store
