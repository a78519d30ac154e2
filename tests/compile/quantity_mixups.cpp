// Each CASE is a mix-up core/quantity.hpp must refuse to compile. ctest
// compiles this file once per case expecting failure, and once more per case
// with ESSOR_CONTROL defined (the same line written correctly) expecting
// success, so a case cannot pass by failing for an unrelated reason.
#include <cstdint>

#include "core/money.hpp"
#include "core/time.hpp"

using essor::core::Cents;
using essor::core::TimestampMs;

namespace {
[[maybe_unused]] std::int64_t takes_cents(Cents amount) {
  return amount;
}
}  // namespace

int main(int argc, char**) {
  const std::int64_t n = argc;  // a value known at run time
  [[maybe_unused]] const TimestampMs at{n};
  [[maybe_unused]] Cents amount = 500;  // a constant: allowed
#ifdef ESSOR_CONTROL
#define WRONG(bad, good) good
#else
#define WRONG(bad, good) bad
#endif
#if CASE == 1  // a run-time number made money without saying so
  Cents c = WRONG(n, Cents{n});
#elif CASE == 2  // an instant passed as money
  Cents c = WRONG(at, Cents{at.count()});
#elif CASE == 3  // an instant turned into money even explicitly
  Cents c = WRONG(Cents{at}, Cents{at.count()});
#elif CASE == 4  // a function taking cents given an instant
  std::int64_t c = takes_cents(WRONG(at, amount));
#elif CASE == 5  // money compared with an instant
  bool c = WRONG(amount < at, amount < Cents{n});
#elif CASE == 6  // money added to an instant
  auto c = WRONG(amount + at, amount + amount);
#elif CASE == 7  // an instant from a run-time number of milliseconds
  TimestampMs c = WRONG(n * 1000, TimestampMs{n * 1000});
#elif CASE == 8  // a sum with a plain number is no longer money
  Cents c = WRONG(amount + n, amount + Cents{n});
#elif CASE == 9  // money added to money in place from a plain number
  Cents c = amount;
  WRONG(c += n, c += Cents{n});
#else
#error "CASE must be 1..9"
#endif
  return static_cast<int>(static_cast<std::int64_t>(c) & 1);
}
