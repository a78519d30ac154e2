// A word of the typed vocabulary read back from its text: the value, among
// all of its type, whose to_string (the one exhaustive switch that spells
// it) is the text. So each word is spelled once, and a new value needs only
// its case in the switch and its place in the list. For core's .cpp files.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

namespace essor::core {

template <typename E>
std::optional<E> parse_word(std::string_view text, std::initializer_list<E> all) {
  for (E value : all) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}

}  // namespace essor::core
