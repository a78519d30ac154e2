// A text read from a row. The column's meaning is the field it goes to:
// assigned to an id it becomes core::UserId, core::OrgId, core::CampaignId
// or core::ProposalId (core/id.hpp), to anything else it is the text it is.
// This is where the store's text becomes the core's ids, once, so the row
// mappings do not spell the type the record's field already declares (as
// store/row_integer.hpp does for money and instants).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/id.hpp"

namespace essor::store {

struct RowText : std::string {
  explicit RowText(std::string text) : std::string(std::move(text)) {}
  template <class Tag>
  operator core::Id<Tag>() const& {  // NOLINT: implicit on purpose
    return core::Id<Tag>{static_cast<const std::string&>(*this)};
  }
  template <class Tag>
  operator core::Id<Tag>() && {  // NOLINT: implicit on purpose
    return core::Id<Tag>{static_cast<std::string&&>(std::move(*this))};
  }
};

// The same for a column that may be NULL.
struct RowOptionalText : std::optional<std::string> {
  explicit RowOptionalText(std::optional<std::string> text)
      : std::optional<std::string>(std::move(text)) {}
  template <class Tag>
  operator std::optional<core::Id<Tag>>() const {  // NOLINT: implicit on purpose
    return core::optional_id<core::Id<Tag>>(*this);
  }
};

}  // namespace essor::store
