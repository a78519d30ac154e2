#include "core/http_signature.hpp"

#include <array>
#include <cctype>
#include <ctime>

namespace essor::core {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<SignatureParams> parse_signature(std::string_view header) {
  SignatureParams out;
  bool has_headers = false;
  std::size_t k = 0;
  while (k < header.size()) {
    while (k < header.size() && (header[k] == ' ' || header[k] == ',')) ++k;
    if (k >= header.size()) break;
    const auto eq = header.find('=', k);
    if (eq == std::string_view::npos || eq + 1 >= header.size() || header[eq + 1] != '"')
      return std::nullopt;
    const std::string name = lower(header.substr(k, eq - k));
    const auto close = header.find('"', eq + 2);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string value(header.substr(eq + 2, close - eq - 2));
    if (name == "keyid") {
      out.key_id = value;
    } else if (name == "algorithm") {
      out.algorithm = lower(value);
    } else if (name == "headers") {
      has_headers = true;
      std::size_t s = 0;
      while (s < value.size()) {
        auto space = value.find(' ', s);
        if (space == std::string::npos) space = value.size();
        if (space > s) out.headers.push_back(lower(value.substr(s, space - s)));
        s = space + 1;
      }
    } else if (name == "signature") {
      out.signature = value;
    }
    k = close + 1;
  }
  if (out.key_id.empty() || out.signature.empty()) return std::nullopt;
  if (!has_headers) out.headers = {"date"};
  if (out.headers.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> signing_string(
    const std::vector<std::string>& headers, std::string_view method, std::string_view target,
    const std::function<std::optional<std::string>(const std::string&)>& value_of) {
  std::string out;
  for (const auto& name : headers) {
    if (!out.empty()) out += '\n';
    if (name == "(request-target)") {
      out += "(request-target): " + lower(method) + " " + std::string(target);
      continue;
    }
    auto value = value_of(name);
    if (!value) return std::nullopt;
    // Leading and trailing spaces are not signed.
    std::string_view v = *value;
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    out += name + ": " + std::string(v);
  }
  return out;
}

std::string http_date(TimestampMs instant) {
  const std::int64_t seconds = instant / 1000;
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t rest = seconds - days * 86400;
  // Civil date from days (Howard Hinnant's algorithm).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = y + (m <= 2);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT",
                kDays[static_cast<std::size_t>(((days % 7) + 7) % 7)], d, kMonths[m - 1],
                static_cast<long long>(year), static_cast<long long>(rest / 3600),
                static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  return buffer;
}

std::optional<TimestampMs> parse_http_date(std::string_view text) {
  // "Thu, 03 Dec 2026 10:00:00 GMT"
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
    return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int n = 0;
    for (std::size_t k = at; k < at + len; ++k) {
      if (text[k] < '0' || text[k] > '9') return std::nullopt;
      n = n * 10 + (text[k] - '0');
    }
    return n;
  };
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2),
             second = number(23, 2);
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m)
    if (text.substr(8, 3) == kMonths[m]) month = m + 1;
  if (!day || !year || !hour || !minute || !second || month == 0 || *day < 1 || *day > 31 ||
      *hour > 23 || *minute > 59 || *second > 60 || text[16] != ' ' || text[19] != ':' ||
      text[22] != ':' || text[7] != ' ' || text[11] != ' ')
    return std::nullopt;
  const std::int64_t days = days_from_civil(*year, month, static_cast<unsigned>(*day));
  return (days * 86400 + *hour * 3600 + *minute * 60 + *second) * 1000;
}

std::string handle_of(std::string_view name) {
  std::string out;
  for (std::size_t k = 0; k < name.size() && out.size() < 30; ++k) {
    const auto c = static_cast<unsigned char>(name[k]);
    if (c < 0x80) {
      if (std::isalnum(c))
        out += static_cast<char>(std::tolower(c));
      else if (!out.empty() && out.back() != '_')
        out += '_';
      continue;
    }
    // Two-byte UTF-8 letters of French (and neighbours), folded.
    if (k + 1 < name.size() && (c == 0xC3 || c == 0xC5)) {
      const auto n = static_cast<unsigned char>(name[k + 1]);
      ++k;
      char folded = 0;
      if (c == 0xC3) {
        const unsigned low = n | 0x20;  // upper and lower case share the rest
        if (low >= 0xA0 && low <= 0xA5)
          folded = 'a';
        else if (low == 0xA7)
          folded = 'c';
        else if (low >= 0xA8 && low <= 0xAB)
          folded = 'e';
        else if (low >= 0xAC && low <= 0xAF)
          folded = 'i';
        else if (low == 0xB1)
          folded = 'n';
        else if (low >= 0xB2 && low <= 0xB6)
          folded = 'o';
        else if (low >= 0xB9 && low <= 0xBC)
          folded = 'u';
        else if (low == 0xBD || low == 0xBF)
          folded = 'y';
      } else if (n == 0x93 || n == 0x92) {
        out += "oe";
        continue;
      }
      if (folded) {
        out += folded;
        continue;
      }
    }
    if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 30) out.resize(30);
  return out.empty() ? "org" : out;
}

}  // namespace essor::core
