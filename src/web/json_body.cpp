#include "web/json_body.hpp"

#include <cstdint>

namespace essor::web {

core::Result<Json> parse_json_object(const Request& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return core::Error{
        core::ErrorKind::invalid_json, "invalid_json", "The body must be a JSON object.", {}};
  }
  return body;
}

StringField string_field(const Json& body, const char* name,
                         std::map<std::string, std::string>& problems) {
  StringField field;
  const auto it = body.find(name);
  if (it == body.end()) return field;
  field.present = true;
  if (it->is_null()) return field;
  if (!it->is_string()) {
    problems[name] = "must be a string";
    return field;
  }
  field.value = it->get<std::string>();
  return field;
}

std::optional<std::string> required_string(const Json& body, const char* name,
                                           std::map<std::string, std::string>& problems) {
  auto field = string_field(body, name, problems);
  if (!field.value) problems.emplace(name, "required");
  return std::move(field.value);
}

std::optional<std::int64_t> int_field(const Json& body, const std::string& name,
                                      std::map<std::string, std::string>& problems) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() ||
      (it->is_number_unsigned() &&
       it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    problems[name] = "must be an integer";
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::optional<core::Cents> cents_field(const Json& body, const std::string& name,
                                       std::map<std::string, std::string>& problems) {
  const auto value = int_field(body, name, problems);
  if (!value) return std::nullopt;
  return core::Cents{*value};
}

std::optional<bool> bool_field(const Json& body, const char* name,
                               std::map<std::string, std::string>& problems) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    problems[name] = "must be true or false";
    return std::nullopt;
  }
  return it->get<bool>();
}

}  // namespace essor::web
