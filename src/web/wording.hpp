// app::Wording from the catalogs (web/i18n/*.json): the sentences of
// notifications, activities and mails, and instants as people of each
// language write them, on the clocks of Europe/Paris.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "app/ports.hpp"

namespace essor::web {

class CatalogWording final : public app::Wording {
 public:
  std::string say(const std::string& lang, const std::string& key,
                  const std::map<std::string, std::string>& params) const override;
  std::string path(const core::Link& link) const override;  // web/links.hpp
};

// The one instance the web layer words with.
const CatalogWording& catalog_wording();

// "mercredi 2 décembre 2026 à 14 h 30" / "Wednesday 2 December 2026 at
// 14:30 (Paris time)".
std::string when_text(const std::string& lang, core::TimestampMs instant);

// Dates and times as people of each language write them, on the clocks of
// Europe/Paris; every page shows instants through these.
// "23 décembre 2026", "1er mars 2027" / "23 December 2026".
std::string date_text(const std::string& lang, core::TimestampMs instant);
// A calendar date "2027-12-31" (a Paris date) the same way; the text as
// given when it is not a date.
std::string calendar_day_text(const std::string& lang, const std::string& day);
// "23 décembre 2026 à 18 h", "… à 18 h 30" / "23 December 2026 at 18:30".
std::string date_time_text(const std::string& lang, core::TimestampMs instant);
// "18 h 30" / "18:30".
std::string time_text(const std::string& lang, core::TimestampMs instant);
// {iso: RFC 3339 for <time datetime>, date: date_text, text: date_time_text}.
nlohmann::json when_json(const std::string& lang, core::TimestampMs instant);

// text with each "{name}" replaced by params' value (unknown names kept).
std::string fill_placeholders(const std::string& text,
                              const std::map<std::string, std::string>& params);

}  // namespace essor::web
