#include "core/time.hpp"

#include <gtest/gtest.h>

#include <random>

namespace essor::core {
namespace {

TEST(Time, FormatsKnownInstants) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(951782400000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1795663368123), "2026-11-26T03:22:48.123Z");
  EXPECT_EQ(format_rfc3339(-1000), "1969-12-31T23:59:59Z");
}

TEST(Time, ParsesOffsetsAndFractions) {
  EXPECT_EQ(parse_rfc3339("2026-11-26T03:22:48Z"), 1795663368000);
  EXPECT_EQ(parse_rfc3339("2026-11-26T04:22:48+01:00"), 1795663368000);
  EXPECT_EQ(parse_rfc3339("2026-11-26T03:22:48.1234Z"), 1795663368123);
  EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z"), 1709164800000);
}

TEST(Time, RejectsMalformedAndImpossibleDates) {
  for (const char* text :
       {"", "2026-11-26", "2026-11-26T03:22:48", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-11-26T24:00:00Z", "2026-11-26T03:22:48+1:00", "2026-11-26T03:22:48.Z",
        "2026-11-26 03:22:48Z", "2026-11-26T03:22:48Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
  }
}

TEST(Time, FormatThenParseIsIdentity) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> instants(-2'000'000'000'000, 10'000'000'000'000);
  for (int idx = 0; idx < 10000; ++idx) {
    const auto instant = instants(random);
    EXPECT_EQ(parse_rfc3339(format_rfc3339(instant)), instant);
  }
}

}  // namespace
}  // namespace essor::core
