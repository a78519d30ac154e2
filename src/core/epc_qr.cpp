#include "core/epc_qr.hpp"

namespace essor::core {

namespace {

// Cuts to at most max_chars code points without splitting one, and drops
// line breaks, which would shift the fields.
std::string fit(const std::string& text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t idx = 0; idx < text.size();) {
    const auto lead = static_cast<unsigned char>(text[idx]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
    if (chars == max_chars) break;
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
  std::string out = "BCD\n002\n1\nSCT\n";
  out += fit(t.bic, 11) + "\n";
  out += fit(t.beneficiary, 70) + "\n";
  out += t.iban + "\n";
  out += "EUR" + format_decimal(t.amount_cents) + "\n";
  out += "\n";  // purpose
  out += "\n";  // structured reference: we use the free-text remittance
  out += fit(t.remittance, 140);
  if (out.size() > 331) return std::nullopt;
  return out;
}

}  // namespace essor::core
