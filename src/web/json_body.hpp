// The fields of JSON request bodies: parsing (never throws) and typed
// fields with the problems of spec/api.md's validation errors. Parsers of
// outside input, fuzzed (fuzz/json_body.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/money.hpp"
#include "web/http.hpp"

namespace essor::web {

using Json = nlohmann::json;

// The body as a JSON object; 400 invalid_json otherwise.
core::Result<Json> parse_json_object(const Request& request);

// A string field: absent → nothing, null → nothing with present=true,
// another type → a problem in `problems`.
struct StringField {
  bool present = false;
  std::optional<std::string> value;
};
StringField string_field(const Json& body, const char* name,
                         std::map<std::string, std::string>& problems);

// A string field that must be there: its value, or a problem ("required"
// when absent or null, unless its type was the problem).
std::optional<std::string> required_string(const Json& body, const char* name,
                                           std::map<std::string, std::string>& problems);

// An integer field: absent or null → nothing; another type → a problem.
std::optional<std::int64_t> int_field(const Json& body, const std::string& name,
                                      std::map<std::string, std::string>& problems);

// An amount of money in cents ("…_cents" fields): as int_field, typed.
std::optional<core::Cents> cents_field(const Json& body, const std::string& name,
                                       std::map<std::string, std::string>& problems);

// A boolean field: absent or null → nothing; another type → a problem.
std::optional<bool> bool_field(const Json& body, const char* name,
                               std::map<std::string, std::string>& problems);

}  // namespace essor::web
