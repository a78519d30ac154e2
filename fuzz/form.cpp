// Query strings and application/x-www-form-urlencoded bodies, and the
// percent-decoding under them.
#include "web/form.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto fields = essor::web::parse_urlencoded(text)) {
    if (fields->size() > essor::web::kMaxFields) __builtin_trap();
    for (const auto& [name, value] : *fields) {
      // What encode makes, decode gives back.
      auto again = essor::web::percent_decode(essor::web::percent_encode(value), false);
      if (!again || *again != value) __builtin_trap();
    }
  }
  (void)essor::web::percent_decode(text, true);
  (void)essor::web::parse_urlencoded(text, true);  // an address's query
  (void)essor::web::percent_decode(text, false);
  return 0;
}
