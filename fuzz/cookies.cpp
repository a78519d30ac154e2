// Cookie headers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto cookies = essor::web::parse_cookies(text);
  for (const auto& [name, value] : cookies) {
    if (name.find(';') != std::string::npos || value.find(';') != std::string::npos)
      __builtin_trap();
  }
  return 0;
}
