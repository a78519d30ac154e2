// Co-creation (spec "Co-creation"): drafts members write together,
// amendments to open proposals, and an organisation's shared pages. The
// words of its vocabulary, the rules on their texts, and the links between
// shared pages. Pure.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essor::core {

// Who reads a shared page or a course: anyone, or the organisation's members.
enum class Visibility { public_, members };
std::optional<Visibility> parse_visibility(std::string_view text);
std::string to_string(Visibility visibility);

enum class AmendmentStatus { pending, accepted, declined };
std::optional<AmendmentStatus> parse_amendment_status(std::string_view text);
std::string to_string(AmendmentStatus status);

// What a revision belongs to (revisions of all three share one history).
enum class DocKind { draft, page, proposal };
std::string to_string(DocKind kind);

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxDocChars = 50'000;
inline constexpr std::size_t kMaxRationaleChars = 5'000;

// Problems with a title and a Markdown body, by field (empty: valid).
std::map<std::string, std::string> check_doc(std::string_view title, std::string_view body_md);

// [[Title]] and [[Title|words]] in a shared page: a Markdown link to the
// page that find(title) names (its path), or the words alone when there
// is none. Text inside code spans and blocks is left as written.
std::string link_pages(std::string_view body_md,
                       const std::function<std::optional<std::string>(const std::string&)>& find);

// Every [[Title]] a text links to, once each, in order.
std::vector<std::string> linked_titles(std::string_view body_md);

}  // namespace essor::core
