#include "core/receipt.hpp"

#include <cstdio>

#include "core/words.hpp"

namespace essor::core {

std::string to_string(LegalBasis basis) {
  switch (basis) {
    case LegalBasis::art200:
      return "200";
    case LegalBasis::art238bis:
      return "238bis";
    case LegalBasis::both:
      return "both";
  }
  return "";
}

std::optional<LegalBasis> parse_legal_basis(std::string_view text) {
  return parse_word(text, {LegalBasis::art200, LegalBasis::art238bis, LegalBasis::both});
}

std::string to_string(ReceiptKind kind) {
  switch (kind) {
    case ReceiptKind::single:
      return "single";
    case ReceiptKind::annual:
      return "annual";
  }
  return "";
}

std::string to_string(ReceiptSource source) {
  switch (source) {
    case ReceiptSource::pledge:
      return "pledge";
    case ReceiptSource::gift:
      return "gift";
    case ReceiptSource::gift_charge:
      return "gift_charge";
    case ReceiptSource::membership:
      return "membership";
    case ReceiptSource::annual:
      return "annual";
  }
  return "";
}

std::optional<ReceiptSource> parse_receipt_source(std::string_view text) {
  return parse_word(text, {ReceiptSource::pledge, ReceiptSource::gift, ReceiptSource::gift_charge,
                           ReceiptSource::membership, ReceiptSource::annual});
}

std::optional<ReceiptKind> parse_receipt_kind(std::string_view text) {
  return parse_word(text, {ReceiptKind::single, ReceiptKind::annual});
}

std::string to_string(ReceiptStatus status) {
  switch (status) {
    case ReceiptStatus::issued:
      return "issued";
    case ReceiptStatus::cancelled:
      return "cancelled";
  }
  return "";
}

std::optional<ReceiptStatus> parse_receipt_status(std::string_view text) {
  return parse_word(text, {ReceiptStatus::issued, ReceiptStatus::cancelled});
}

std::string receipt_number(std::int64_t year, std::int64_t seq) {
  char out[32];
  std::snprintf(out, sizeof out, "%04lld-%06lld", static_cast<long long>(year),
                static_cast<long long>(seq));
  return out;
}

Cents receipt_amount(Cents gift, std::optional<Cents> reward_value) {
  if (!reward_value || *reward_value <= 0) return gift;
  if (*reward_value * 4 <= gift && *reward_value <= 7'300) return gift;
  return gift > *reward_value ? gift - *reward_value : Cents{0};
}

}  // namespace essor::core
