// multipart/form-data bodies: the first line is the Content-Type header
// (it carries the boundary), the rest the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto newline = text.find('\n');
  const std::string_view content_type = text.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  if (auto parts = essor::web::parse_multipart(content_type, body)) {
    if (parts->size() > essor::web::kMaxFields) __builtin_trap();
    for (const auto& [name, value] : *parts) {
      if (value.size() > body.size()) __builtin_trap();  // a part comes from the body
    }
  }
  return 0;
}
