// Distinct types for the ids a mix-up would confuse: a user, an
// organisation and a campaign are all opaque text underneath, and before
// this header a function taking (org_id, user_id) accepted them swapped
// without a word. Now:
//
//   - text becomes an id only explicitly (`core::UserId{row.text(0)}`),
//     where it enters: a row read by the store, a route's parameter, a
//     JSON body, a fresh id made by the use case;
//   - one kind of id never becomes another (`OrgId{user_id}`, `user = org`,
//     `user_id == org_id` do not compile);
//   - reading an id as text is implicit (SQL parameters, URLs, JSON,
//     comparisons with text), so the layers that print or store it do not
//     change.
//
// Standard library only: the JSON hook is a template found by
// argument-dependent lookup, so the core does not include a JSON library.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace essor::core {

template <class Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string text) : text_(std::move(text)) {}
  explicit Id(std::string_view text) : text_(text) {}
  explicit Id(const char* text) : text_(text) {}
  // Never from another kind of id, not even on purpose.
  template <class OtherTag>
  requires(!std::same_as<OtherTag, Tag>) explicit Id(const Id<OtherTag>&) = delete;

  operator const std::string&() const noexcept { return text_; }  // NOLINT
  operator std::string_view() const noexcept { return text_; }    // NOLINT
  const std::string& str() const noexcept { return text_; }
  bool empty() const noexcept { return text_.empty(); }
  std::size_t size() const noexcept { return text_.size(); }

  friend bool operator==(const Id&, const Id&) = default;
  friend std::strong_ordering operator<=>(const Id&, const Id&) = default;
  // Text from outside (a route's parameter, a column) meets an id. Three,
  // not one taking std::string_view: with only that one, a std::string
  // subclass that also converts to an id (store::RowText) would compare
  // ambiguously, and with only the std::string one a literal would.
  friend bool operator==(const Id& id, std::string_view text) noexcept { return id.text_ == text; }
  friend bool operator==(const Id& id, const char* text) noexcept { return id.text_ == text; }
  friend bool operator==(const Id& id, const std::string& text) noexcept {
    return id.text_ == text;
  }

  friend std::string operator+(const std::string& text, const Id& id) { return text + id.text_; }
  friend std::string operator+(const Id& id, const std::string& text) { return id.text_ + text; }
  friend std::string operator+(const char* text, const Id& id) { return text + id.text_; }
  friend std::string operator+(const Id& id, const char* text) { return id.text_ + text; }
  friend std::string operator+(std::string&& text, const Id& id) {
    return std::move(text) + id.text_;
  }

 private:
  std::string text_;
};

// Two kinds of id meet in no comparison (without these, both would quietly
// become text and compare).
template <class A, class B>
requires(!std::same_as<A, B>) bool operator==(const Id<A>&, const Id<B>&) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator!=(const Id<A>&, const Id<B>&) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator<(const Id<A>&, const Id<B>&) = delete;

struct UserTag {};
struct OrgTag {};
struct CampaignTag {};
struct ProposalTag {};
struct CourseTag {};
struct LessonTag {};

using UserId = Id<UserTag>;
using OrgId = Id<OrgTag>;
using CampaignId = Id<CampaignTag>;
using ProposalId = Id<ProposalTag>;
using CourseId = Id<CourseTag>;
using LessonId = Id<LessonTag>;

// Text that may be absent (an optional field of a form or a body) as an id
// that may be absent.
template <class IdType>
std::optional<IdType> optional_id(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return IdType{*text};
}

// Printed as its text (test failures, logs); a template, so the core
// includes no stream header.
template <class Stream, class Tag>
requires requires(Stream& out, const std::string& text) {
  out << text;
}
Stream& operator<<(Stream& out, const Id<Tag>& id) {
  out << id.str();
  return out;
}

// JSON (nlohmann's adl_serializer finds these by argument-dependent
// lookup): an id is written and read as its text.
template <class Json, class Tag>
void to_json(Json& json, const Id<Tag>& id) {
  json = id.str();
}
template <class Json, class Tag>
void from_json(const Json& json, Id<Tag>& id) {
  id = Id<Tag>{json.template get<std::string>()};
}

}  // namespace essor::core

template <class Tag>
struct std::hash<essor::core::Id<Tag>> {
  std::size_t operator()(const essor::core::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
