#include "core/amount_words.hpp"

#include <array>
#include <cstdint>

namespace essor::core {

namespace {

constexpr std::array<const char*, 20> kUnits = {
    "zéro",     "un",     "deux",  "trois",    "quatre",   "cinq",    "six",
    "sept",     "huit",   "neuf",  "dix",      "onze",     "douze",   "treize",
    "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"};
constexpr std::array<const char*, 10> kTens = {
    "",          "dix",      "vingt",    "trente",       "quarante",
    "cinquante", "soixante", "soixante", "quatre-vingt", "quatre-vingt"};

// 0 < n < 100. last: nothing follows in the number (the plural of
// "quatre-vingts").
std::string below_hundred(int n, bool last) {
  if (n < 20) return kUnits[static_cast<std::size_t>(n)];
  const int tens = n / 10;
  int units = n % 10;
  // 70–79 and 90–99 count on from sixty and eighty: soixante-dix, quatre-vingt-onze.
  if (tens == 7 || tens == 9) units += 10;
  std::string out = kTens[static_cast<std::size_t>(tens)];
  if (units == 0) return tens == 8 && last ? out + "s" : out;
  if ((units == 1 || units == 11) && tens != 8 && tens != 9) return out + " et " + kUnits[units];
  return out + "-" + kUnits[static_cast<std::size_t>(units)];
}

// 0 < n < 1000.
std::string below_thousand(int n, bool last) {
  const int hundreds = n / 100, rest = n % 100;
  std::string out;
  if (hundreds > 0) {
    out =
        hundreds == 1 ? "cent" : std::string(kUnits[static_cast<std::size_t>(hundreds)]) + " cent";
    if (rest == 0) return hundreds > 1 && last ? out + "s" : out;
    out += " ";
  }
  return out + below_hundred(rest, last);
}

// 0 < n < 10^12, in words, without the currency.
std::string number_words(std::int64_t n) {
  const int billions = static_cast<int>(n / 1'000'000'000);
  const int millions = static_cast<int>(n / 1'000'000 % 1000);
  const int thousands = static_cast<int>(n / 1000 % 1000);
  const int rest = static_cast<int>(n % 1000);
  std::string out;
  auto add = [&out](const std::string& words) {
    if (!out.empty()) out += " ";
    out += words;
  };
  // Before a noun (million, milliard) the plural of cent/vingt stays.
  if (billions > 0)
    add(below_thousand(billions, true) + (billions > 1 ? " milliards" : " milliard"));
  if (millions > 0) add(below_thousand(millions, true) + (millions > 1 ? " millions" : " million"));
  if (thousands > 0) add(thousands == 1 ? "mille" : below_thousand(thousands, false) + " mille");
  if (rest > 0) add(below_thousand(rest, true));
  return out;
}

}  // namespace

std::string amount_in_words_fr(Cents amount) {
  if (amount < 0) amount = 0;
  const std::int64_t euros = amount / 100;
  const int cents = static_cast<int>(amount % 100);
  std::string out;
  if (euros > 0) {
    out = number_words(euros);
    // "un million d'euros", "deux milliards d'euros": round millions.
    const bool round_millions = euros >= 1'000'000 && euros % 1'000'000 == 0;
    out += round_millions ? " d'euros" : (euros > 1 ? " euros" : " euro");
  }
  if (cents > 0) {
    if (!out.empty()) out += " et ";
    out += below_hundred(cents, true) + (cents > 1 ? " centimes" : " centime");
  }
  if (out.empty()) out = "zéro euro";
  return out;
}

}  // namespace essor::core
