#include "web/wording.hpp"

#include <charconv>

#include "core/money.hpp"
#include "core/time.hpp"
#include "web/links.hpp"
#include "web/render.hpp"

namespace essor::web {

std::string fill_placeholders(const std::string& text,
                              const std::map<std::string, std::string>& params) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find('{', at);
    const auto close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) break;
    out.append(text, at, open - at);
    const auto it = params.find(text.substr(open + 1, close - open - 1));
    out += it != params.end() ? it->second : text.substr(open, close - open + 1);
    at = close + 1;
  }
  out.append(text, std::min(at, text.size()));
  return out;
}

namespace {

// "1er" for the first of the month in French, the number otherwise.
std::string day_text(const std::string& lang, unsigned day) {
  return day == 1 && lang == "fr" ? "1er" : std::to_string(day);
}

// "18 h", "18 h 05" (French); "18:00" (English).
std::string clock_text(const std::string& lang, const core::ParisTime& t) {
  char out[16];
  if (lang == "fr") {
    if (t.minute == 0) return std::to_string(t.hour) + " h";
    std::snprintf(out, sizeof out, "%u h %02u", t.hour, t.minute);
  } else {
    std::snprintf(out, sizeof out, "%02u:%02u", t.hour, t.minute);
  }
  return out;
}

}  // namespace

std::string when_text(const std::string& lang, core::TimestampMs instant) {
  const auto t = core::paris_time(instant);
  char minute[3];
  std::snprintf(minute, sizeof minute, "%02u", t.minute);
  return fill_placeholders(translate(lang, "when_pattern"),
                           {{"weekday", translate(lang, "weekday_" + std::to_string(t.weekday))},
                            {"day", day_text(lang, t.day)},
                            {"month", translate(lang, "month_" + std::to_string(t.month))},
                            {"year", std::to_string(t.year)},
                            {"hour", std::to_string(t.hour)},
                            {"minute", minute}});
}

std::string date_text(const std::string& lang, core::TimestampMs instant) {
  const auto t = core::paris_time(instant);
  return fill_placeholders(translate(lang, "date_pattern"),
                           {{"day", day_text(lang, t.day)},
                            {"month", translate(lang, "month_" + std::to_string(t.month))},
                            {"year", std::to_string(t.year)}});
}

std::string calendar_day_text(const std::string& lang, const std::string& day) {
  // Noon UTC is the same calendar day in Paris.
  const auto instant = core::parse_date(day);
  if (!instant || core::format_date(*instant) != day) return day;
  return date_text(lang, *instant + 12 * 3'600'000);
}

std::string date_time_text(const std::string& lang, core::TimestampMs instant) {
  const auto t = core::paris_time(instant);
  return fill_placeholders(translate(lang, "date_time_pattern"),
                           {{"date", date_text(lang, instant)}, {"time", clock_text(lang, t)}});
}

std::string time_text(const std::string& lang, core::TimestampMs instant) {
  return clock_text(lang, core::paris_time(instant));
}

nlohmann::json when_json(const std::string& lang, core::TimestampMs instant) {
  return {{"iso", core::format_rfc3339(instant)},
          {"date", date_text(lang, instant)},
          {"text", date_time_text(lang, instant)}};
}

const CatalogWording& catalog_wording() {
  static const CatalogWording wording;
  return wording;
}

std::string CatalogWording::say(const std::string& lang, const std::string& key,
                                const std::map<std::string, std::string>& params) const {
  std::map<std::string, std::string> shown = params;
  for (auto& [name, value] : shown) {
    if (name.ends_with("_cents")) {
      std::int64_t cents = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), cents);
      if (error == std::errc{} && end == value.data() + value.size())
        value = core::format_eur(core::Cents{cents}, lang);
      continue;
    }
    if (name.ends_with("_on")) {
      value = calendar_day_text(lang, value);
      continue;
    }
    if (!name.ends_with("_at")) continue;
    std::int64_t instant = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), instant);
    if (error == std::errc{} && end == value.data() + value.size())
      value = when_text(lang, core::TimestampMs{instant});
  }
  return fill_placeholders(translate(lang, key), shown);
}

std::string CatalogWording::path(const core::Link& link) const {
  return web::path(link);
}

}  // namespace essor::web
