#include "core/icalendar.hpp"

namespace essor::core {
namespace {

// One content line, folded: at most 75 octets per physical line, the
// continuation starting with a space, never inside a UTF-8 sequence.
void append_line(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t budget = 75;
  while (line.size() - start > budget) {
    std::size_t cut = start + budget;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    budget = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

}  // namespace

std::string ical_utc(TimestampMs instant) {
  // 2026-11-26T09:00:00Z → 20261126T090000Z
  const std::string rfc = format_rfc3339(instant);
  std::string out;
  for (char c : rfc.substr(0, 19)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";
}

std::string ical_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string icalendar(const std::string& name, const std::vector<CalendarEvent>& events) {
  std::string out;
  append_line(out, "BEGIN:VCALENDAR");
  append_line(out, "VERSION:2.0");
  append_line(out, "PRODID:-//Essor//Essor//FR");
  append_line(out, "CALSCALE:GREGORIAN");
  append_line(out, "METHOD:PUBLISH");
  if (!name.empty()) append_line(out, "X-WR-CALNAME:" + ical_escape(name));
  for (const auto& e : events) {
    append_line(out, "BEGIN:VEVENT");
    append_line(out, "UID:" + ical_escape(e.uid));
    append_line(out, "DTSTAMP:" + ical_utc(e.stamp));
    append_line(out, "DTSTART:" + ical_utc(e.starts_at));
    append_line(out, "DTEND:" + ical_utc(e.ends_at));
    append_line(out, "SEQUENCE:" + std::to_string(e.sequence));
    append_line(out, e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    append_line(out, "SUMMARY:" + ical_escape(e.summary));
    if (!e.description.empty()) append_line(out, "DESCRIPTION:" + ical_escape(e.description));
    if (e.location) append_line(out, "LOCATION:" + ical_escape(*e.location));
    if (e.url) append_line(out, "URL:" + *e.url);
    append_line(out, "END:VEVENT");
  }
  append_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace essor::core
