#include "web/wording.hpp"

#include <charconv>

#include "core/time.hpp"
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

std::string when_text(const std::string& lang, core::TimestampMs instant) {
  const auto t = core::paris_time(instant);
  char minute[3];
  std::snprintf(minute, sizeof minute, "%02u", t.minute);
  return fill_placeholders(translate(lang, "when_pattern"),
                           {{"weekday", translate(lang, "weekday_" + std::to_string(t.weekday))},
                            {"day", std::to_string(t.day)},
                            {"month", translate(lang, "month_" + std::to_string(t.month))},
                            {"year", std::to_string(t.year)},
                            {"hour", std::to_string(t.hour)},
                            {"minute", minute}});
}

const CatalogWording& catalog_wording() {
  static const CatalogWording wording;
  return wording;
}

std::string CatalogWording::say(const std::string& lang, const std::string& key,
                                const std::map<std::string, std::string>& params) const {
  std::map<std::string, std::string> shown = params;
  for (auto& [name, value] : shown) {
    if (!name.ends_with("_at")) continue;
    core::TimestampMs instant = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), instant);
    if (error == std::errc{} && end == value.data() + value.size())
      value = when_text(lang, instant);
  }
  return fill_placeholders(translate(lang, key), shown);
}

}  // namespace essor::web
