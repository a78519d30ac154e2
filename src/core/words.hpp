// A word of the typed vocabulary read back from its text: the value, among
// all of its type, whose to_string (the one exhaustive switch that spells
// it) is the text. So each word is spelled once, and a new value needs only
// its case in the switch and its place in the list. For the .cpp files
// that spell a vocabulary (core's, and app's own few).
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace essor::core {

template <typename E>
std::optional<E> parse_word(std::string_view text, std::initializer_list<E> all) {
  for (E value : all) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}

// A stored word read back with its parse (parse_role, parse_status…): only
// to_string writes them, so a word no value spells is a damaged row, and
// the error names what held it ("a column", "a ballot").
template <typename Parse>
auto stored_word(Parse parse, const std::string& text, const char* holder) ->
    typename decltype(parse(text))::value_type {
  if (auto value = parse(text)) return *value;
  throw std::runtime_error(std::string(holder) + " holds the unknown value " + text);
}

}  // namespace essor::core
