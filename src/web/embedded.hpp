// Files embedded in the binary at build time (cmake/embed.cmake): static
// assets, templates and message catalogs. Looked up by key only, so no
// request path can reach the file system.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace essor::web {

struct EmbeddedFile {
  std::string_view key;  // "static/pico.min.css", "templates/layout.html", …
  std::string_view data;
  std::string_view etag;  // first 16 hex digits of the SHA-256 of data
};

std::span<const EmbeddedFile> embedded_files();
std::optional<EmbeddedFile> find_embedded(std::string_view key);

}  // namespace essor::web
