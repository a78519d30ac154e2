// Instants are integer milliseconds since the Unix epoch (UTC). The core
// never reads the clock: callers pass `now` in. Formatting and parsing of
// RFC 3339 (UTC, "Z") live here so every layer agrees on the form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/quantity.hpp"

namespace essor::core {

// TimestampMs: an instant (core/quantity.hpp says what it mixes with).

// "2026-11-26T03:22:48Z" (milliseconds dropped when zero, else ".123Z").
std::string format_rfc3339(TimestampMs instant);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]" followed by "Z" or "+HH:MM"/"-HH:MM".
// Returns nothing for anything else, including impossible dates.
std::optional<TimestampMs> parse_rfc3339(std::string_view text);

// "2026-11-26": the UTC calendar date of an instant.
std::string format_date(TimestampMs instant);
// The date as French people write it (JJ/MM/AAAA), of the instant in UTC.
std::string format_date_fr(TimestampMs instant);
// The instant `months` calendar months after `instant`, on the same day of
// the month or the month's last day when it is shorter (31 Jan + 1 = 28/29
// Feb), same time of day.
TimestampMs add_months(TimestampMs instant, int months);
// Start (00:00 UTC) of the day of "YYYY-MM-DD"; nothing when malformed.
std::optional<TimestampMs> parse_date(std::string_view text);

// An instant on the clocks of Europe/Paris: UTC+1, and UTC+2 (summer time)
// from the last Sunday of March at 01:00 UTC to the last Sunday of October
// at 01:00 UTC (the European Union's rule since 1996).
struct ParisTime {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1;  // 1–12, 1–31
  unsigned hour = 0, minute = 0;
  unsigned weekday = 4;  // 0 Sunday … 6 Saturday
  bool summer = false;
};
ParisTime paris_time(TimestampMs instant);

// The instant shown as this date and time on the clocks of Europe/Paris.
// A time that happens twice (the last Sunday of October, 02:00–03:00) is
// the earlier, summer one; a time that never happens (the last Sunday of
// March, 02:00–03:00) is an hour later. Nothing for an impossible date.
std::optional<TimestampMs> from_paris_time(std::int64_t year, unsigned month, unsigned day,
                                           unsigned hour, unsigned minute, unsigned second = 0);
// A form's date ("2026-12-23") and time ("18:00" or "18:00:00") fields,
// read on the clocks of Europe/Paris.
std::optional<TimestampMs> parse_paris_date_time(std::string_view date, std::string_view time);
// The values such fields show for an instant: "2026-12-23" and "18:00".
std::string paris_date_field(TimestampMs instant);
std::string paris_time_field(TimestampMs instant);

}  // namespace essor::core
