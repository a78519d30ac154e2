// A minimal blocking HTTP/1.1 client for the tests: one connection per
// request, so every request is independent.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace essor::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // lower-case names

  std::string header(const std::string& name) const;
  std::vector<std::string> set_cookies() const;
  // The cookie value set by this response, or "".
  std::string cookie(const std::string& name) const;
  nlohmann::json json() const;  // throws when the body is not JSON
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const;
  HttpResult get(const std::string& target,
                 const std::map<std::string, std::string>& headers = {}) const {
    return request("GET", target, "", headers);
  }
  // JSON body; token, when given, as a bearer token.
  HttpResult json(const std::string& method, const std::string& target, const nlohmann::json& body,
                  const std::string& token = "") const;
  HttpResult json(const std::string& method, const std::string& target,
                  const std::string& token = "") const;

 private:
  std::uint16_t port_;
};

}  // namespace essor::testing
