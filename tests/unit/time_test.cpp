#include "core/time.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

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
    const TimestampMs instant{instants(random)};
    EXPECT_EQ(parse_rfc3339(format_rfc3339(instant)), instant);
  }
}

}  // namespace
}  // namespace essor::core

namespace essor::core {
namespace {

// Europe/Paris: winter UTC+1, summer UTC+2, the changes at 01:00 UTC on the
// last Sundays of March and October (2026: 29 March and 25 October).
TEST(ParisTime, FollowsTheEuropeanSummerTimeRule) {
  auto at = [](const char* rfc) { return *parse_rfc3339(rfc); };
  auto shown = [](const ParisTime& t) {
    char out[40];
    std::snprintf(out, sizeof out, "%04lld-%02u-%02u %02u:%02u w%u", static_cast<long long>(t.year),
                  t.month, t.day, t.hour, t.minute, t.weekday);
    return std::string(out);
  };
  EXPECT_EQ(shown(paris_time(at("2026-12-02T01:30:00Z"))), "2026-12-02 02:30 w3");
  EXPECT_EQ(shown(paris_time(at("2026-03-29T00:59:00Z"))), "2026-03-29 01:59 w0");
  EXPECT_EQ(shown(paris_time(at("2026-03-29T01:00:00Z"))), "2026-03-29 03:00 w0");
  EXPECT_EQ(shown(paris_time(at("2026-10-25T00:59:00Z"))), "2026-10-25 02:59 w0");
  EXPECT_EQ(shown(paris_time(at("2026-10-25T01:00:00Z"))), "2026-10-25 02:00 w0");
  EXPECT_EQ(shown(paris_time(at("2026-12-31T23:30:00Z"))), "2027-01-01 00:30 w5");
  EXPECT_EQ(shown(paris_time(at("2024-03-31T01:00:00Z"))), "2024-03-31 03:00 w0");  // leap year
  EXPECT_EQ(shown(paris_time(at("2027-10-31T00:30:00Z"))), "2027-10-31 02:30 w0");
  EXPECT_TRUE(paris_time(at("2026-07-14T12:00:00Z")).summer);
  EXPECT_FALSE(paris_time(at("2026-01-14T12:00:00Z")).summer);
}

// Form fields are read on the clocks of Europe/Paris, and every instant
// reads back as itself.
TEST(TimeTest, ParisDateAndTimeFieldsReadBackAsTheInstant) {
  const auto at = [](const char* text) { return *parse_rfc3339(text); };
  EXPECT_EQ(parse_paris_date_time("2026-12-23", "18:00"), at("2026-12-23T17:00:00Z"));
  EXPECT_EQ(parse_paris_date_time("2026-07-14", "10:05"), at("2026-07-14T08:05:00Z"));
  EXPECT_EQ(parse_paris_date_time("2026-07-14", "10:05:30"), at("2026-07-14T08:05:30Z"));
  // The hour that happens twice is the summer one; the hour that never
  // happens moves an hour on.
  EXPECT_EQ(parse_paris_date_time("2026-10-25", "02:30"), at("2026-10-25T00:30:00Z"));
  EXPECT_EQ(parse_paris_date_time("2026-03-29", "02:30"), at("2026-03-29T01:30:00Z"));
  EXPECT_EQ(parse_paris_date_time("2026-03-29", "03:00"), at("2026-03-29T01:00:00Z"));
  EXPECT_EQ(parse_paris_date_time("2026-12-31", "23:59:59"), at("2026-12-31T22:59:59Z"));
  for (const auto& [date, time] :
       std::vector<std::pair<const char*, const char*>>{{"2026-02-29", "10:00"},
                                                        {"2026-13-01", "10:00"},
                                                        {"2026-12-01", "24:00"},
                                                        {"2026-12-01", "10:60"},
                                                        {"2026-12-1", "10:00"},
                                                        {"2026-12-01", "10h00"},
                                                        {"", ""},
                                                        {"2026-12-01", ""}}) {
    EXPECT_FALSE(parse_paris_date_time(date, time).has_value()) << date << " " << time;
  }
  // Every quarter of an hour over two years (both changes of clock): the
  // fields shown for an instant read back as that instant, except in the
  // repeated hour, which reads back as its summer twin.
  const TimestampMs start = at("2026-01-01T00:00:00Z");
  for (TimestampMs instant = start; instant < start + 730LL * 86'400'000; instant += 900'000) {
    const auto back = parse_paris_date_time(paris_date_field(instant), paris_time_field(instant));
    ASSERT_TRUE(back.has_value()) << format_rfc3339(instant);
    if (*back != instant) {
      EXPECT_EQ(*back, instant - 3'600'000) << format_rfc3339(instant);
      EXPECT_FALSE(paris_time(instant).summer);
      EXPECT_EQ(paris_time(instant).month, 10u);
    }
  }
}

}  // namespace
}  // namespace essor::core
