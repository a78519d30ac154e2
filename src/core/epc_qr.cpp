#include "core/epc_qr.hpp"

namespace essor::core {

namespace {

// Cuts to at most max_chars code points and max_bytes bytes without
// splitting one, and drops line breaks, which would shift the fields.
std::string fit(const std::string& text, std::size_t max_chars,
                std::size_t max_bytes = std::string::npos) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t idx = 0; idx < text.size();) {
    const auto lead = static_cast<unsigned char>(text[idx]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
    if (chars == max_chars || out.size() + length > max_bytes) break;
    if (text[idx] == '\n' || text[idx] == '\r') {
      out.push_back(' ');
    } else {
      out.append(text, idx, length);
    }
    idx += length;
    ++chars;
  }
  return out;
}

}  // namespace

std::optional<std::string> epc_payload(const EpcTransfer& t) {
  if (t.amount_cents < 1 || t.amount_cents > 99'999'999'999 || t.iban.empty()) return std::nullopt;
  // The whole payload may not exceed 331 bytes (EPC069-12): a name of 70
  // characters outside ASCII (up to 280 bytes) is shortened to what fits,
  // after the remittance (our reference, short and ASCII) has its place.
  constexpr std::size_t kMaxPayload = 331;
  const std::string head = "BCD\n002\n1\nSCT\n" + fit(t.bic, 11) + "\n";
  const std::string tail = "\n" + t.iban + "\n" + "EUR" + format_decimal(t.amount_cents) +
                           "\n"
                           "\n"   // purpose
                           "\n";  // structured reference: we use the free-text remittance
  if (head.size() + tail.size() > kMaxPayload) return std::nullopt;
  const std::string remittance = fit(t.remittance, 140, kMaxPayload - head.size() - tail.size());
  const std::string beneficiary =
      fit(t.beneficiary, 70, kMaxPayload - head.size() - tail.size() - remittance.size());
  if (beneficiary.empty()) return std::nullopt;
  return head + beneficiary + tail + remittance;
}

std::string transfer_reference(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  // 60 random bits in 12 characters of Crockford's base 32: no I, L, O or U
  // to misread, 4,096 times fewer collisions than 12 hex digits.
  constexpr std::size_t kHexDigits = 15;
  const auto hex_value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (id.size() >= kHexDigits) {
    std::uint64_t bits = 0;
    bool hex = true;
    for (const char c : id.substr(id.size() - kHexDigits)) {
      const int value = hex_value(c);
      hex = hex && value >= 0;
      bits = bits << 4 | static_cast<std::uint64_t>(value & 15);
    }
    if (hex) {
      static constexpr std::string_view kDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
      for (int shift = 55; shift >= 0; shift -= 5) out.push_back(kDigits[(bits >> shift) & 31]);
      return out;
    }
  }
  const std::size_t from = id.size() > 12 ? id.size() - 12 : 0;
  for (const char c : id.substr(from))
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return out;
}

}  // namespace essor::core
