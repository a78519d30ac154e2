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
  const std::size_t from = id.size() > 12 ? id.size() - 12 : 0;
  for (const char c : id.substr(from))
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return out;
}

}  // namespace essor::core
