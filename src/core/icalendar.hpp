// iCalendar (RFC 5545) documents: one VCALENDAR with VEVENTs, times in UTC,
// text escaped (backslash, semicolon, comma, newline), lines folded at 75
// octets without splitting a UTF-8 character, CRLF line ends.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace essor::core {

struct CalendarEvent {
  std::string uid;  // globally unique, e.g. id@host
  TimestampMs stamp = 0;
  TimestampMs starts_at = 0;
  TimestampMs ends_at = 0;
  std::string summary;
  std::string description;
  std::optional<std::string> location;
  std::optional<std::string> url;
  // Raised by each change, so a calendar takes the newest (SEQUENCE).
  long long sequence = 0;
  bool cancelled = false;  // STATUS:CANCELLED: a calendar strikes it out
};

// name: the calendar's name (X-WR-CALNAME), may be empty.
std::string icalendar(const std::string& name, const std::vector<CalendarEvent>& events);

// 20261126T090000Z
std::string ical_utc(TimestampMs instant);
// The text with RFC 5545's escapes.
std::string ical_escape(const std::string& text);

}  // namespace essor::core
