// Distinct integer types for what must not be mixed up: an amount of money
// (core::Cents, for money.hpp) and an instant (core::TimestampMs, for
// time.hpp) are both int64 underneath, and before this header a function
// taking cents accepted an instant, a count or a row's raw column without a
// word. Now:
//
//   - a constant converts implicitly (`Cents fee = 500;`, `= 0;`), because
//     a number written in the source says what it is where it is written;
//   - a value computed at run time becomes a quantity only explicitly
//     (`Cents{row_value}`): `Cents c = some_int64;` does not compile (the
//     implicit constructor is `consteval`);
//   - one quantity never becomes another (`Cents c = instant;`, `Cents{instant}`,
//     `cents < instant`, `cents + instant` do not compile);
//   - reading one as a plain number is implicit (formatting, SQL parameters,
//     arithmetic whose result is a plain int64 again).
//
// Arithmetic keeps the unit where it has one: cents + cents, cents - cents,
// -cents, cents * n and cents / n are cents; instant ± n milliseconds is an
// instant; instant - instant is a plain number of milliseconds; anything
// mixed with a plain number is a plain number (so it must be made a
// quantity again, on purpose).
//
// Standard library only: the JSON hooks are templates found by
// argument-dependent lookup, so the core does not include a JSON library.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace essor::core {

// The type of the constants Quantity accepts implicitly: wider than any
// standard integer, so every integer literal converts to it and no
// run-time integer prefers it to the explicit constructor.
__extension__ using Literal = __int128;

template <class Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  // From a value known at run time: on purpose only (`Cents{n}`).
  template <std::integral I>
  explicit constexpr Quantity(I value) : value_(static_cast<std::int64_t>(value)) {}
  // From a constant written in the source (`Cents fee = 500;`): the only
  // implicit constructor, and `consteval`, so a value computed at run time
  // does not compile here. Its parameter is a type no standard integer is,
  // so `Cents{n}` always prefers the explicit constructor above.
  consteval Quantity(Literal value) : value_(static_cast<std::int64_t>(value)) {}  // NOLINT
  // Never from another quantity.
  template <class OtherTag>
  requires(!std::same_as<OtherTag, Tag>) Quantity(Quantity<OtherTag>)
  = delete;

  constexpr operator std::int64_t() const { return value_; }  // NOLINT
  constexpr std::int64_t count() const { return value_; }

 private:
  std::int64_t value_ = 0;
};

struct CentsTag {};
struct InstantTag {};

// Two different quantities meet in no operator (without these, both would
// quietly become int64 and the built-in operator would apply).
template <class A, class B>
requires(!std::same_as<A, B>) void operator+(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) void operator-(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) void operator*(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) void operator/(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator==(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator!=(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator<(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator<=(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator>(Quantity<A>, Quantity<B>) = delete;
template <class A, class B>
requires(!std::same_as<A, B>) bool operator>=(Quantity<A>, Quantity<B>) = delete;

// Money: a sum, a difference, a multiple, a share. The operators are
// templates matched by the exact type only, so `cents + 5` finds none of
// them and is the built-in int64 sum (no ambiguity with the conversion).
using Cents = Quantity<CentsTag>;

template <class T>
requires std::same_as<T, Cents>
constexpr Cents operator+(T a, T b) {
  return Cents{a.count() + b.count()};
}
template <class T>
requires std::same_as<T, Cents>
constexpr Cents operator-(T a, T b) {
  return Cents{a.count() - b.count()};
}
template <class T>
requires std::same_as<T, Cents>
constexpr Cents operator-(T a) {
  return Cents{-a.count()};
}
template <class T, std::integral I>
requires std::same_as<T, Cents>
constexpr Cents operator*(T a, I n) {
  return Cents{a.count() * static_cast<std::int64_t>(n)};
}
template <class T, std::integral I>
requires std::same_as<T, Cents>
constexpr Cents operator*(I n, T a) {
  return Cents{a.count() * static_cast<std::int64_t>(n)};
}
template <class T, std::integral I>
requires std::same_as<T, Cents>
constexpr Cents operator/(T a, I n) {
  return Cents{a.count() / static_cast<std::int64_t>(n)};
}
template <class T>
requires std::same_as<T, Cents>
constexpr Cents& operator+=(T& a, std::type_identity_t<T> b) {
  return a = a + b;
}
template <class T>
requires std::same_as<T, Cents>
constexpr Cents& operator-=(T& a, std::type_identity_t<T> b) {
  return a = a - b;
}

// Instants: moved by a number of milliseconds; the distance between two is
// a plain number of milliseconds (the built-in difference).
using TimestampMs = Quantity<InstantTag>;

template <class T, std::integral I>
requires std::same_as<T, TimestampMs>
constexpr TimestampMs operator+(T at, I ms) {
  return TimestampMs{at.count() + static_cast<std::int64_t>(ms)};
}
template <class T, std::integral I>
requires std::same_as<T, TimestampMs>
constexpr TimestampMs operator+(I ms, T at) {
  return TimestampMs{at.count() + static_cast<std::int64_t>(ms)};
}
template <class T, std::integral I>
requires std::same_as<T, TimestampMs>
constexpr TimestampMs operator-(T at, I ms) {
  return TimestampMs{at.count() - static_cast<std::int64_t>(ms)};
}
template <class T, std::integral I>
requires std::same_as<T, TimestampMs>
constexpr TimestampMs& operator+=(T& at, I ms) {
  return at = at + ms;
}
template <class T, std::integral I>
requires std::same_as<T, TimestampMs>
constexpr TimestampMs& operator-=(T& at, I ms) {
  return at = at - ms;
}

// JSON (nlohmann's adl_serializer finds these by argument-dependent
// lookup): a quantity is written and read as its integer.
template <class Json, class Tag>
void to_json(Json& json, Quantity<Tag> value) {
  json = value.count();
}
template <class Json, class Tag>
void from_json(const Json& json, Quantity<Tag>& value) {
  value = Quantity<Tag>{json.template get<std::int64_t>()};
}

}  // namespace essor::core
