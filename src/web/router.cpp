#include "web/router.hpp"

#include "web/form.hpp"

namespace essor::web {
namespace {

constexpr std::size_t kMaxSegments = 32;

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  while (!path.empty() || segments.empty()) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) segments.push_back("");  // trailing slash is its own segment
    if (segments.size() > kMaxSegments) break;
  }
  return segments;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route route{std::move(method), pattern, {}, std::move(handler), {}};
  for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

void Router::add_deferred(std::string method, std::string pattern, DeferredHandler handler) {
  Route route{std::move(method), pattern, {}, {}, std::move(handler)};
  for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(Request& request) const {
  const auto segments = split_path(request.path);
  RouteMatch result;
  if (segments.size() > kMaxSegments) return result;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matched = true;
    for (std::size_t idx = 0; idx < segments.size() && matched; ++idx) {
      const std::string& want = route.segments[idx];
      const auto close = want.find('}');
      if (want.size() > 2 && want.front() == '{' && close != std::string::npos) {
        // "{id}" or "{id}.ics": a parameter, then an optional literal suffix.
        const std::string_view suffix = std::string_view(want).substr(close + 1);
        std::string_view segment = segments[idx];
        matched = segment.size() > suffix.size() && segment.ends_with(suffix);
        auto value = matched
                         ? percent_decode(segment.substr(0, segment.size() - suffix.size()), false)
                         : std::nullopt;
        matched = value && !value->empty();
        if (matched) params[want.substr(1, close - 1)] = std::move(*value);
      } else {
        matched = want == segments[idx];
      }
    }
    if (!matched) continue;
    if (route.method != request.method && !(request.method == "HEAD" && route.method == "GET")) {
      result.outcome = RouteMatch::Outcome::method_not_allowed;
      result.pattern = route.pattern;
      result.allowed += (result.allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    request.params = std::move(params);
    result.outcome = RouteMatch::Outcome::found;
    result.handler = route.handler ? &route.handler : nullptr;
    result.deferred = route.deferred ? &route.deferred : nullptr;
    result.pattern = route.pattern;
    result.allowed.clear();
    return result;
  }
  return result;
}

}  // namespace essor::web
