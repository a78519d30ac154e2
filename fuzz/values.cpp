// Values typed into forms and bodies: amounts, IBAN, BIC, SIREN, dates and
// times, email addresses, free text, base64 and image signatures.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/image.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace essor::core;
  if (auto cents = parse_eur(text)) {
    if (*cents < 0) __builtin_trap();
  }
  if (auto iban = normalize_iban(text)) {
    if (normalize_iban(*iban) != iban) __builtin_trap();  // idempotent
  }
  if (auto bic = normalize_bic(text)) {
    if (normalize_bic(*bic) != bic) __builtin_trap();
  }
  (void)is_valid_siren(text);
  if (auto instant = parse_rfc3339(text)) {
    if (parse_rfc3339(format_rfc3339(*instant)) != instant) __builtin_trap();  // round trip
  }
  if (auto day = parse_date(text)) {
    if (parse_date(format_date(*day)) != day) __builtin_trap();
  }
  (void)check_email(text);
  (void)check_text(text, 200);
  (void)trim(text);
  (void)utf8_length(text);
  if (auto bytes = base64_decode(text)) {
    if (base64_encode(*bytes) != text) __builtin_trap();  // canonical only
  }
  (void)detect_image_type(text);
  return 0;
}
