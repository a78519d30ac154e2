// app::FederationClient with libcurl: http and https only, no redirect
// followed, answers cut at 1 MiB, 10 seconds at most, and (unless
// allow_private) no connection to loopback, private, link-local or
// unique-local addresses, checked on the address actually connected to
// (so a name that resolves somewhere else later changes nothing).
#pragma once

#include "app/federation_port.hpp"

namespace essor::adapters {

class FederationHttp final : public app::FederationClient {
 public:
  FederationHttp(bool allow_private, std::string user_agent)
      : allow_private_(allow_private), user_agent_(std::move(user_agent)) {}
  core::Result<Response> get(const std::string& url,
                             const std::map<std::string, std::string>& headers) const override;
  core::Result<Response> post(const std::string& url,
                              const std::map<std::string, std::string>& headers,
                              const std::string& body) const override;

 private:
  core::Result<Response> exchange(const std::string& method, const std::string& url,
                                  const std::map<std::string, std::string>& headers,
                                  const std::string* body) const;
  bool allow_private_;
  std::string user_agent_;
};

// Whether an address (text, v4 or v6) is loopback, private, link-local,
// unique-local, unspecified or otherwise not a public server's. Exposed
// for tests.
bool is_private_address(const std::string& ip);

}  // namespace essor::adapters
