#include "web/page_cache.hpp"

#include <mutex>

namespace essor::web {

PageCache::PageCache(std::function<std::uint64_t()> generation,
                     std::function<std::int64_t()> now_ms, Options options)
    : generation_(std::move(generation)), now_ms_(std::move(now_ms)), options_(options) {}

std::shared_ptr<const PageCache::Page> PageCache::find(const std::string& key) const {
  std::shared_ptr<const Page> page;
  {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    page = it->second;
  }
  const auto age_ms = now_ms_() - page->made_ms;
  if (page->generation != generation_() || age_ms < 0 || age_ms > options_.max_age_ms) {
    return nullptr;
  }
  return page;
}

Response PageCache::Page::with_token(std::string_view csrf) const {
  Response response;
  response.content_type = content_type;
  response.headers = headers;
  std::size_t size = 0;
  for (const auto& piece : pieces) size += piece.size() + csrf.size();
  response.body.reserve(size);
  for (std::size_t index = 0; index < pieces.size(); ++index) {
    if (index > 0) response.body += csrf;
    response.body += pieces[index];
  }
  return response;
}

void PageCache::keep(const std::string& key, std::uint64_t generation, const Response& response,
                     std::string_view csrf) {
  if (response.status != 200 || csrf.empty()) return;
  auto entry = std::make_shared<Page>();
  entry->generation = generation;
  entry->made_ms = now_ms_();
  entry->content_type = response.content_type;
  for (const auto& [name, value] : response.headers) {
    if (name != "Set-Cookie") {
      entry->headers.emplace_back(name, value);
    } else if (!value.starts_with("essor_csrf=")) {
      return;  // a page that sets another cookie is someone's own
    }
  }
  std::string_view body = response.body;
  for (auto at = body.find(csrf); at != std::string_view::npos; at = body.find(csrf)) {
    entry->pieces.emplace_back(body.substr(0, at));
    body.remove_prefix(at + csrf.size());
  }
  entry->pieces.emplace_back(body);
  std::unique_lock lock(mutex_);
  if (entries_.size() >= options_.max_entries && !entries_.contains(key)) {
    // Full: start again rather than track use (the working set of public
    // pages is small; a scan of search queries must not grow memory).
    entries_.clear();
  }
  entries_[key] = std::move(entry);
}

}  // namespace essor::web
