#include "web/page_cache.hpp"

#include <mutex>

namespace essor::web {

PageCache::PageCache(std::function<std::uint64_t()> generation,
                     std::function<std::int64_t()> now_ms, Options options)
    : generation_(std::move(generation)), now_ms_(std::move(now_ms)), options_(options) {}

std::optional<Response> PageCache::find(const std::string& key, std::string_view csrf) const {
  std::shared_ptr<const Entry> entry;
  {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    entry = it->second;
  }
  const auto age_ms = now_ms_() - entry->made_ms;
  if (entry->generation != generation_() || age_ms < 0 || age_ms > options_.max_age_ms) {
    return std::nullopt;
  }
  Response response;
  response.content_type = entry->content_type;
  response.headers = entry->headers;
  std::size_t size = 0;
  for (const auto& piece : entry->pieces) size += piece.size() + csrf.size();
  response.body.reserve(size);
  for (std::size_t index = 0; index < entry->pieces.size(); ++index) {
    if (index > 0) response.body += csrf;
    response.body += entry->pieces[index];
  }
  return response;
}

void PageCache::keep(const std::string& key, std::uint64_t generation, const Response& response,
                     std::string_view csrf) {
  if (response.status != 200 || csrf.empty()) return;
  auto entry = std::make_shared<Entry>();
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
