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
// How an answer is handed on, once, from any thread.
using Reply = std::function<void(Response)>;
// A handler that answers later (reply), from whichever thread finished its
// work, so that it parks no thread while it waits (a pledge waiting for its
// group commit). The request lives until reply is called. It may throw
// only before it has replied (that is a 500, as for any handler).
using DeferredHandler = std::function<void(Request&, Reply)>;

struct RouteMatch {
  enum class Outcome { found, method_not_allowed, not_found } outcome = Outcome::not_found;
  const Handler* handler = nullptr;
  const DeferredHandler* deferred = nullptr;  // instead of handler
  std::string pattern;                        // for metrics and logs
  std::string allowed;                        // "GET, POST" when method_not_allowed
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void add_deferred(std::string method, std::string pattern, DeferredHandler handler);
  // Fills request.params on success.
  RouteMatch match(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    DeferredHandler deferred;
  };
  std::vector<Route> routes_;
};

}  // namespace essor::web
