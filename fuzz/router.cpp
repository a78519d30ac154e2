// Request paths against the program's kinds of route patterns (literal,
// parameters, parameters with a suffix such as {id}.ics).
#include "web/router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

essor::web::Router& router() {
  static essor::web::Router r = [] {
    essor::web::Router out;
    auto ok = [](essor::web::Request&) { return essor::web::Response{}; };
    for (const char* pattern : {"/", "/healthz", "/static/{name}", "/api/v1/campaigns/{id}",
                                "/api/v1/campaigns/{id}/pledges", "/api/v1/follows/{type}/{id}",
                                "/events/{id}.ics", "/events/{id}", "/campaigns/{id}/updates.atom",
                                "/orgs/{id}/events.ics", "/unsubscribe/{token}"}) {
      out.add("GET", pattern, ok);
      out.add("POST", pattern, ok);
    }
    return out;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  essor::web::Request request;
  request.method = size > 0 && (data[0] & 1) ? "POST" : "GET";
  request.path.assign(reinterpret_cast<const char*>(data), size);
  const auto match = router().match(request);
  if (match.outcome == essor::web::RouteMatch::Outcome::found) {
    for (const auto& [name, value] : request.params) {
      if (value.empty()) __builtin_trap();  // parameters are never empty
    }
  }
  return 0;
}
