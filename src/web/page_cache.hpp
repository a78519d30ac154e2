// Public pages rendered for anonymous visitors, kept for the next ones.
//
// A page is kept with the generation of the store read before it was
// rendered; it is served again only while no write has happened since (in
// this process) and for at most max_age (writes of other instances, and
// relative times such as "ends in 3 days"). Each visitor's CSRF token is
// put back into the kept page's forms, so a kept page is never another
// visitor's. Signed-in visitors are never served from here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "web/http.hpp"

namespace essor::web {

class PageCache {
 public:
  struct Options {
    std::size_t max_entries = 2048;
    std::int64_t max_age_ms = 1000;
  };
  // A kept page: its body split where the renderer's CSRF token was.
  class Page {
   public:
    // The answer for a visitor whose forms must carry csrf.
    Response with_token(std::string_view csrf) const;

   private:
    friend class PageCache;
    std::uint64_t generation = 0;
    std::int64_t made_ms = 0;
    std::vector<std::string> pieces;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;  // without Set-Cookie
  };

  // now_ms: the program's clock (a test's clock moves kept pages' age too).
  PageCache(std::function<std::uint64_t()> generation, std::function<std::int64_t()> now_ms,
            Options options);

  std::uint64_t generation() const { return generation_(); }
  // The page kept under key, if still fresh.
  std::shared_ptr<const Page> find(const std::string& key) const;
  // Keeps response under key if it can be: a 200 whose only cookie is the
  // CSRF one. csrf: the token its forms carry; generation: read before it
  // was rendered.
  void keep(const std::string& key, std::uint64_t generation, const Response& response,
            std::string_view csrf);

 private:
  std::function<std::uint64_t()> generation_;
  std::function<std::int64_t()> now_ms_;
  Options options_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Page>> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace essor::web
