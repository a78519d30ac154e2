// How money comes in: the payment methods a pledge, a recurring gift or a
// membership's dues may use. The word is the API's and the database's
// (`payment_method`), and the ledger's outside account ("external:<it>").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essor::core {

// balance: the backer's repaid loans, spent again (never from outside);
// sandbox_card: the test card (money that is not real); bank_transfer: a
// transfer announced, confirmed when the treasurer sees it come in.
enum class PaymentMethod { balance, sandbox_card, bank_transfer };
std::optional<PaymentMethod> parse_payment_method(std::string_view text);
std::string to_string(PaymentMethod method);

}  // namespace essor::core
