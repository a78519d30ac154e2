#include "core/time.hpp"

#include <cstdio>

namespace essor::core {
namespace {

// Howard Hinnant's civil-date algorithms (public domain): exact for the
// proleptic Gregorian calendar, no table, no time zone database.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// An instant as whole days since the epoch and milliseconds into the day
// (floored, so instants before 1970 work too).
void split_instant(TimestampMs instant, std::int64_t& days, std::int64_t& ms_of_day) {
  days = instant / 86'400'000;
  ms_of_day = instant % 86'400'000;
  if (ms_of_day < 0) {
    ms_of_day += 86'400'000;
    --days;
  }
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string format_rfc3339(TimestampMs instant) {
  std::int64_t days, ms_of_day;
  split_instant(instant, days, ms_of_day);
  std::int64_t year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  const int hour = static_cast<int>(ms_of_day / 3'600'000);
  const int minute = static_cast<int>(ms_of_day / 60'000 % 60);
  const int second = static_cast<int>(ms_of_day / 1000 % 60);
  const int millis = static_cast<int>(ms_of_day % 1000);
  char buffer[40];
  if (millis == 0) {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<long long>(year), month, day, hour, minute, second);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(year), month, day, hour, minute, second, millis);
  }
  return buffer;
}

std::optional<TimestampMs> parse_rfc3339(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !read_digits(text, 0, 4, year) || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !read_digits(text, 11, 2, hour) || text[13] != ':' ||
      !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (text[pos] == '.') {
    std::size_t digits = 0;
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    // UTC
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    int oh, om;
    if (!read_digits(text, pos + 1, 2, oh) || !read_digits(text, pos + 4, 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string format_date(TimestampMs instant) {
  std::string full = format_rfc3339(instant);
  return full.substr(0, full.find('T'));
}

TimestampMs add_months(TimestampMs instant, int months) {
  std::int64_t days, ms_of_day;
  split_instant(instant, days, ms_of_day);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const std::int64_t index = y * 12 + (m - 1) + months;
  const std::int64_t new_y = index >= 0 ? index / 12 : (index - 11) / 12;
  const unsigned new_m = static_cast<unsigned>(index - new_y * 12) + 1;
  const unsigned last = days_in_month(new_y, new_m);
  return TimestampMs{days_from_civil(new_y, new_m, d > last ? last : d) * 86'400'000 + ms_of_day};
}

std::optional<TimestampMs> parse_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  std::string full(text);
  return parse_rfc3339(full + "T00:00:00Z");
}

std::string format_date_fr(TimestampMs instant) {
  const std::string iso = format_date(instant);  // YYYY-MM-DD
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The instant (UTC) of 01:00 UTC on the last Sunday of a month.
TimestampMs last_sunday_one_utc(std::int64_t year, unsigned month) {
  const std::int64_t next_month_first =
      month == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, month + 1, 1);
  const std::int64_t last_day = next_month_first - 1;
  const std::int64_t weekday = ((last_day % 7) + 11) % 7;  // 1970-01-01 was a Thursday (4)
  return TimestampMs{(last_day - weekday) * 86'400'000 + 3'600'000};
}

}  // namespace

ParisTime paris_time(TimestampMs instant) {
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(floor_div(instant, 86'400'000), year, month, day);
  const bool summer =
      instant >= last_sunday_one_utc(year, 3) && instant < last_sunday_one_utc(year, 10);
  const TimestampMs local = instant + (summer ? 2 : 1) * 3'600'000;
  const std::int64_t days = floor_div(local, 86'400'000);
  ParisTime out;
  civil_from_days(days, out.year, out.month, out.day);
  const std::int64_t ms_of_day = local - days * 86'400'000;
  out.hour = static_cast<unsigned>(ms_of_day / 3'600'000);
  out.minute = static_cast<unsigned>(ms_of_day / 60'000 % 60);
  out.weekday = static_cast<unsigned>(((days % 7) + 11) % 7);
  out.summer = summer;
  return out;
}

}  // namespace essor::core

namespace essor::core {

std::optional<TimestampMs> from_paris_time(std::int64_t year, unsigned month, unsigned day,
                                           unsigned hour, unsigned minute, unsigned second) {
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  const TimestampMs wall{days_from_civil(year, month, day) * 86'400'000 +
                         static_cast<std::int64_t>(hour) * 3'600'000 +
                         static_cast<std::int64_t>(minute) * 60'000 + second * 1000};
  // Summer time first: of a time that happens twice, the earlier.
  if (const TimestampMs summer = wall - 2 * 3'600'000; paris_time(summer).summer) {
    const auto shown = paris_time(summer);
    if (shown.hour == hour && shown.day == day) return summer;
  }
  return wall - 3'600'000;
}

std::optional<TimestampMs> parse_paris_date_time(std::string_view date, std::string_view time) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !read_digits(date, 0, 4, y) ||
      !read_digits(date, 5, 2, mo) || !read_digits(date, 8, 2, d)) {
    return std::nullopt;
  }
  // "HH:MM", or "HH:MM:SS" as some browsers send it.
  if ((time.size() != 5 && time.size() != 8) || time[2] != ':' || !read_digits(time, 0, 2, h) ||
      !read_digits(time, 3, 2, mi)) {
    return std::nullopt;
  }
  int s = 0;
  if (time.size() == 8 && (time[5] != ':' || !read_digits(time, 6, 2, s))) return std::nullopt;
  return from_paris_time(y, static_cast<unsigned>(mo), static_cast<unsigned>(d),
                         static_cast<unsigned>(h), static_cast<unsigned>(mi),
                         static_cast<unsigned>(s));
}

std::string paris_date_field(TimestampMs instant) {
  const auto t = paris_time(instant);
  char out[16];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(t.year), t.month,
                t.day);
  return out;
}

std::string paris_time_field(TimestampMs instant) {
  const auto t = paris_time(instant);
  char out[8];
  std::snprintf(out, sizeof out, "%02u:%02u", t.hour, t.minute);
  return out;
}

}  // namespace essor::core
