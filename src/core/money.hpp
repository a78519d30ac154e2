// Amounts are integer cents (int64) in EUR. No floating point anywhere money
// is decided. Parsing and display of amounts for people live here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/quantity.hpp"

namespace essor::core {

// Cents: an amount in euro cents (core/quantity.hpp says what it mixes with).

// The largest amount one pledge may carry (spec: 10,000,000 cents).
inline constexpr Cents kMaxPledgeCents = 10'000'000;

// "1 234,50 €" (fr) or "€1,234.50" (en). Exact: no rounding happens.
std::string format_eur(Cents amount, std::string_view lang);
// "12.50": the EPC QR form, always two decimals with a dot.
std::string format_decimal(Cents amount);
// The same digits for a number counted in hundredths that is not money (a
// rate in basis points shown in percent, a ratio × 100).
std::string format_hundredths(std::int64_t hundredths);
// What a person types in a form: "12", "12,5", "12.50", "1 234,56", "12 €".
// At most two decimals (more is refused, never rounded). Nothing when
// malformed or above 10^13 cents.
std::optional<Cents> parse_eur(std::string_view text);

}  // namespace essor::core
