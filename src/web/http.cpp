#include "web/http.hpp"

#include "core/validation.hpp"
#include "web/embedded.hpp"
#include "web/form.hpp"

namespace essor::web {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  const auto cookies = parse_cookies(header("cookie"));
  const auto it = cookies.find(std::string(name));
  if (it == cookies.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, std::string> Request::query_params() const {
  // A malformed escape stays as it is ("?q=100%" searches for "100%"), so
  // that it reaches the parameter's own check (a cursor "%zz" is 400)
  // instead of dropping every parameter of the address.
  auto params = parse_urlencoded(query, true).value_or(std::map<std::string, std::string>{});
  for (auto& [name, value] : params) value = core::to_valid_utf8(value);
  return params;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t idx = 0; idx < a.size(); ++idx) {
    diff |= static_cast<unsigned char>(a[idx] ^ b[idx]);
  }
  return diff == 0;
}

Response text_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response redirect_response(const std::string& location) {
  Response response;
  response.status = 303;
  response.header("Location", location);
  return response;
}

Response cacheable_response(const Request& request, std::string_view etag, std::string content_type,
                            std::string body) {
  const std::string quoted = "\"" + std::string(etag) + "\"";
  Response response;
  response.header("ETag", quoted);
  // Revalidated daily; the ETag makes revalidation a cheap 304.
  response.header("Cache-Control", "public, max-age=86400");
  if (request.header("if-none-match") == quoted) {
    response.status = 304;
    return response;
  }
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=/; SameSite=Lax";
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (options.max_age_s >= 0) out += "; Max-Age=" + std::to_string(options.max_age_s);
  return out;
}

std::optional<EmbeddedFile> find_embedded(std::string_view key) {
  for (const auto& file : embedded_files()) {
    if (file.key == key) return file;
  }
  return std::nullopt;
}

}  // namespace essor::web
