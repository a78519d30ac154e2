// Parsers of outside text above Beast: percent-decoding, query strings and
// application/x-www-form-urlencoded bodies, Cookie headers. Bounded: they
// refuse input with more than kMaxFields fields.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace essor::web {

inline constexpr std::size_t kMaxFields = 200;

// "+" is a space only in forms and queries (plus_is_space). Returns nothing
// for a malformed escape, unless lenient: then it is kept as it is (a "%"
// not followed by two hex digits), as browsers read an address's query
// (WHATWG URL, application/x-www-form-urlencoded parsing).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space,
                                          bool lenient = false);
std::string percent_encode(std::string_view text);

// The first value wins when a name repeats. Returns nothing when malformed or
// when there are more than kMaxFields fields; lenient (an address's query)
// keeps a malformed escape as it is instead.
std::optional<std::map<std::string, std::string>> parse_urlencoded(std::string_view text,
                                                                   bool lenient = false);

// The fields of a multipart/form-data body (RFC 7578), by name; files
// included as their bytes. content_type is the request's header (it carries
// the boundary). Nothing when malformed or over kMaxFields parts.
std::optional<std::map<std::string, std::string>> parse_multipart(std::string_view content_type,
                                                                  std::string_view body);

// name=value pairs separated by ";". Malformed pairs are skipped.
std::map<std::string, std::string> parse_cookies(std::string_view header);

}  // namespace essor::web
