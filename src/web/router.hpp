// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" segments that capture one percent-decoded, non-empty segment.
// Not thread-safe while routes are added; safe to match from many threads
// afterwards.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "web/http.hpp"

namespace essor::web {

using Handler = std::function<Response(Request&)>;

struct RouteMatch {
  enum class Outcome { found, method_not_allowed, not_found } outcome = Outcome::not_found;
  const Handler* handler = nullptr;
  std::string pattern;  // for metrics and logs
  std::string allowed;  // "GET, POST" when method_not_allowed
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Fills request.params on success.
  RouteMatch match(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace essor::web
