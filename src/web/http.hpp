// Requests and responses as plain values, independent of Beast, so handlers
// compile fast and can be tested without a socket.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/id.hpp"

namespace essor::web {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // percent-decoding left to the router, per segment
  std::string query;   // after '?', raw
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string client_address;  // the peer, or X-Forwarded-For's first when the proxy is trusted
  std::string peer_address;    // the peer of the connection, whatever it says
  bool secure = false;         // reached over TLS (directly or, when trusted, via a proxy)
  std::map<std::string, std::string> params;  // filled by the router

  // A route's parameter as the id of what the route names, where the text
  // of a path becomes a typed id (`request.id<core::OrgId>()` for
  // /orgs/{id}); "" when the route has no such parameter.
  template <class IdType>
  IdType id(const std::string& name = "id") const {
    const auto it = params.find(name);
    return IdType{it == params.end() ? std::string() : it->second};
  }

  // The first header of that (lower-case) name, or "".
  std::string_view header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::map<std::string, std::string> query_params() const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Response text_response(int status, std::string body);
Response redirect_response(const std::string& location);  // 303 See Other
// Bytes that clients may cache for a day and revalidate by ETag: 304 when
// the request's If-None-Match names the same tag.
Response cacheable_response(const Request& request, std::string_view etag, std::string content_type,
                            std::string body);

struct CookieOptions {
  bool secure = false;
  bool http_only = true;
  long max_age_s = -1;  // -1: session cookie; 0: delete
};
// Equal strings, compared in a time that does not depend on where they
// differ (secrets: CSRF tokens, the metrics token).
bool constant_time_equal(std::string_view a, std::string_view b);

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options);

}  // namespace essor::web
