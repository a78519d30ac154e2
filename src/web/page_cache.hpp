// Public pages rendered for anonymous visitors, kept for the next ones.
//
// A page is kept with the generation of the store read before it was
// rendered; it is served again only while no write has happened since (in
// this process) and for at most max_age (writes of other instances, and
// relative times such as "ends in 3 days"). Each visitor's CSRF token is
// put back into the kept page's forms, so a kept page is never another
// visitor's. Pages kept for signed-in readers (App::reader_page) have more
// holes: each reader's own parts (menu, balance, follow button) are put in
// for each request, read in one statement.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/accounts.hpp"
#include "web/http.hpp"

namespace essor::web {

class PageCache {
 public:
  struct Options {
    std::size_t max_entries = 2048;
    std::size_t max_readers = 8192;
    std::int64_t max_age_ms = 1000;
  };
  // A kept page: its body split where the renderer's CSRF token was, and
  // its other holes.
  class Page {
   public:
    // The answer for a visitor whose forms must carry csrf.
    Response with_token(std::string_view csrf) const;
    // The answer with values[i] put where markers[i] was (keep()).
    Response filled(std::span<const std::string> values) const;
    // What the reader's parts of a page kept for signed-in readers need.
    const app::ReaderQuestion& question() const { return question_; }

   private:
    friend class PageCache;
    std::uint64_t generation = 0;
    std::int64_t made_ms = 0;
    std::vector<std::string> pieces;
    std::vector<std::uint8_t> holes;  // holes[i]: the marker between pieces i and i + 1
    app::ReaderQuestion question_;
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
  // The same with holes where each of markers was (markers[0]: the CSRF
  // token; at most 8); returns the page kept, or null.
  std::shared_ptr<const Page> keep(const std::string& key, std::uint64_t generation,
                                   const Response& response, std::span<const std::string> markers,
                                   app::ReaderQuestion question);

  // A reader's parts (app::Accounts::reader), kept under key (their
  // session's hash and the page's question) on the same terms as pages:
  // while no write has happened in this process (a logout, a follow, a
  // pledge, a notification read…) and for at most max_age, and never past
  // the session's end.
  std::optional<app::ReaderParts> find_reader(const std::string& key) const;
  void keep_reader(const std::string& key, std::uint64_t generation, app::ReaderParts parts);

 private:
  // Kept at generation and made at made_ms: no write since, and young enough.
  bool fresh(std::uint64_t generation, std::int64_t made_ms) const;
  std::function<std::uint64_t()> generation_;
  std::function<std::int64_t()> now_ms_;
  Options options_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Page>> entries_;  // GUARDED_BY(mutex_)
  struct KeptReader {
    std::uint64_t generation = 0;
    std::int64_t made_ms = 0;
    app::ReaderParts parts;
  };
  mutable std::shared_mutex readers_mutex_;
  std::unordered_map<std::string, KeptReader> readers_;  // GUARDED_BY(readers_mutex_)
};

}  // namespace essor::web
