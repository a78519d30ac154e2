// An amount in euros written in French words, as a tax receipt (CERFA
// 11580) gives it beside the figures: 123450 cents → "mille deux cent
// trente-quatre euros et cinquante centimes". Traditional spelling:
// hyphens below a hundred except around "et"; "vingt" and "cent" take an
// s when multiplied and last (or before "millions"/"milliards", which are
// nouns), never before "mille"; "un million d'euros" for round millions.
#pragma once

#include <string>

#include "core/money.hpp"

namespace essor::core {

// amount ≥ 0, below a thousand billion euros.
std::string amount_in_words_fr(Cents amount);

}  // namespace essor::core
