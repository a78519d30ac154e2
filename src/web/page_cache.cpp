#include "web/page_cache.hpp"

#include <mutex>

namespace essor::web {

bool PageCache::fresh(std::uint64_t generation, std::int64_t made_ms) const {
  const auto age_ms = now_ms_() - made_ms;
  return generation == generation_() && age_ms >= 0 && age_ms <= options_.max_age_ms;
}

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
  return fresh(page->generation, page->made_ms) ? page : nullptr;
}

Response PageCache::Page::with_token(std::string_view csrf) const {
  const std::string token(csrf);
  return filled(std::span<const std::string>(&token, 1));
}

Response PageCache::Page::filled(std::span<const std::string> values) const {
  Response response;
  response.content_type = content_type;
  response.headers = headers;
  std::size_t size = 0;
  for (const auto& piece : pieces) size += piece.size();
  for (const auto hole : holes) size += hole < values.size() ? values[hole].size() : 0;
  response.body.reserve(size);
  for (std::size_t index = 0; index < pieces.size(); ++index) {
    if (index > 0 && holes[index - 1] < values.size()) response.body += values[holes[index - 1]];
    response.body += pieces[index];
  }
  return response;
}

void PageCache::keep(const std::string& key, std::uint64_t generation, const Response& response,
                     std::string_view csrf) {
  const std::string token(csrf);
  keep(key, generation, response, std::span<const std::string>(&token, 1), {});
}

std::shared_ptr<const PageCache::Page> PageCache::keep(const std::string& key,
                                                       std::uint64_t generation,
                                                       const Response& response,
                                                       std::span<const std::string> markers,
                                                       app::ReaderQuestion question) {
  if (response.status != 200 || markers.empty() || markers[0].empty() || markers.size() > 8) {
    return nullptr;
  }
  auto entry = std::make_shared<Page>();
  entry->generation = generation;
  entry->made_ms = now_ms_();
  entry->content_type = response.content_type;
  entry->question_ = std::move(question);
  for (const auto& [name, value] : response.headers) {
    if (name != "Set-Cookie") {
      entry->headers.emplace_back(name, value);
    } else if (!value.starts_with("essor_csrf=")) {
      return nullptr;  // a page that sets another cookie is someone's own
    }
  }
  // Cut the body at each marker, the earliest first.
  std::string_view body = response.body;
  while (true) {
    std::size_t at = std::string_view::npos;
    std::size_t which = 0;
    for (std::size_t idx = 0; idx < markers.size(); ++idx) {
      if (markers[idx].empty()) continue;
      const auto found = body.find(markers[idx]);
      if (found < at) {
        at = found;
        which = idx;
      }
    }
    if (at == std::string_view::npos) break;
    entry->pieces.emplace_back(body.substr(0, at));
    entry->holes.push_back(static_cast<std::uint8_t>(which));
    body.remove_prefix(at + markers[which].size());
  }
  entry->pieces.emplace_back(body);
  std::unique_lock lock(mutex_);
  if (entries_.size() >= options_.max_entries && !entries_.contains(key)) {
    // Full: start again rather than track use (the working set of public
    // pages is small; a scan of search queries must not grow memory).
    entries_.clear();
  }
  entries_[key] = entry;
  return entry;
}

std::optional<app::ReaderParts> PageCache::find_reader(const std::string& key) const {
  std::shared_lock lock(readers_mutex_);
  const auto it = readers_.find(key);
  if (it == readers_.end()) return std::nullopt;
  if (!fresh(it->second.generation, it->second.made_ms) ||
      it->second.parts.session_expires_at <= now_ms_()) {
    return std::nullopt;
  }
  return it->second.parts;
}

void PageCache::keep_reader(const std::string& key, std::uint64_t generation,
                            app::ReaderParts parts) {
  std::unique_lock lock(readers_mutex_);
  if (readers_.size() >= options_.max_readers && !readers_.contains(key)) readers_.clear();
  readers_[key] = KeptReader{generation, now_ms_(), std::move(parts)};
}

}  // namespace essor::web
