#include "core/payment.hpp"

#include "core/words.hpp"

namespace essor::core {

std::optional<PaymentMethod> parse_payment_method(std::string_view text) {
  return parse_word(
      text, {PaymentMethod::balance, PaymentMethod::sandbox_card, PaymentMethod::bank_transfer});
}

std::string to_string(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::balance:
      return "balance";
    case PaymentMethod::sandbox_card:
      return "sandbox_card";
    case PaymentMethod::bank_transfer:
      return "bank_transfer";
  }
  return "sandbox_card";
}

}  // namespace essor::core
