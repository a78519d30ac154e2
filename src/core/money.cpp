#include "core/money.hpp"

#include <cstdlib>

namespace essor::core {

namespace {

std::string group_thousands(std::int64_t units, std::string_view separator) {
  std::string digits = std::to_string(units);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (std::size_t idx = first; idx < digits.size(); idx += 3) {
    out += separator;
    out += digits.substr(idx, 3);
  }
  return out;
}

}  // namespace

std::string format_eur(Cents amount, std::string_view lang) {
  const bool negative = amount < 0;
  // Cents of the absolute value, without overflowing on INT64_MIN.
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(amount + 1)) + 1 : static_cast<std::uint64_t>(amount);
  const auto units = static_cast<std::int64_t>(magnitude / 100);
  const int cents = static_cast<int>(magnitude % 100);
  const std::string cents_text = (cents < 10 ? "0" : "") + std::to_string(cents);
  if (lang == "en") {
    return std::string(negative ? "-" : "") + "€" + group_thousands(units, ",") + "." + cents_text;
  }
  // French: narrow no-break space between thousands, comma, no-break space before €.
  return std::string(negative ? "-" : "") + group_thousands(units, "\u202f") + "," + cents_text +
         "\u00a0€";
}

std::string format_hundredths(std::int64_t hundredths) {
  const std::string rest = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + (rest.size() == 1 ? "0" : "") + rest;
}

std::string format_decimal(Cents amount) {
  return format_hundredths(amount.count());
}

std::optional<Cents> parse_eur(std::string_view text) {
  std::string compact;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const char c = text[idx];
    if (c == ' ') continue;
    if (text.substr(idx).starts_with("\u00a0") || text.substr(idx).starts_with("\u202f")) {
      idx += text.substr(idx).starts_with("\u00a0") ? 1 : 2;
      continue;
    }
    if (text.substr(idx).starts_with("€")) {
      idx += std::string_view("€").size() - 1;
      continue;
    }
    compact.push_back(c);
  }
  if (compact.empty() || compact.size() > 16) return std::nullopt;
  std::int64_t units = 0;
  std::size_t idx = 0;
  for (; idx < compact.size() && compact[idx] >= '0' && compact[idx] <= '9'; ++idx) {
    units = units * 10 + (compact[idx] - '0');
  }
  if (idx == 0) return std::nullopt;
  std::int64_t cents = 0;
  if (idx < compact.size()) {
    if (compact[idx] != ',' && compact[idx] != '.') return std::nullopt;
    const std::string_view decimals = std::string_view(compact).substr(idx + 1);
    if (decimals.empty() || decimals.size() > 2) return std::nullopt;
    for (char c : decimals) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    cents = (decimals[0] - '0') * 10 + (decimals.size() == 2 ? decimals[1] - '0' : 0);
  }
  if (units > 100'000'000'000) return std::nullopt;
  return Cents{units * 100 + cents};
}

}  // namespace essor::core
