// Every user-visible text comes from the catalogs: both languages have the
// same keys, every key a template uses exists, and templates carry no
// hard-coded words outside tags.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/time.hpp"
#include "web/embedded.hpp"
#include "web/wording.hpp"

namespace essor::web {
namespace {

std::set<std::string> keys_of(const char* key) {
  std::set<std::string> keys;
  const nlohmann::json catalog = nlohmann::json::parse(find_embedded(key)->data);
  for (auto it = catalog.begin(); it != catalog.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& value = it.value();
    keys.insert(name);
    EXPECT_TRUE(value.is_string() && !value.get<std::string>().empty()) << key << " " << name;
  }
  return keys;
}

TEST(Catalogs, FrenchAndEnglishHaveTheSameKeys) {
  EXPECT_EQ(keys_of("i18n/fr.json"), keys_of("i18n/en.json"));
}

TEST(Catalogs, EveryKeyUsedByATemplateExists) {
  const auto keys = keys_of("i18n/fr.json");
  const std::regex used(R"(\{\{\s*t\.([a-z0-9_]+)\s*\}\})");
  int templates = 0;
  for (const auto& file : embedded_files()) {
    if (!file.key.starts_with("templates/")) continue;
    ++templates;
    const std::string text(file.data);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), used);
         it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(keys.count((*it)[1].str())) << file.key << " uses t." << (*it)[1].str();
    }
  }
  EXPECT_GE(templates, 5);
}

TEST(Catalogs, TemplatesHaveNoHardCodedWords) {
  // Text between tags must be a mustache tag, punctuation or a language's own
  // name (the switch shows each language in itself).
  const std::regex text_node(R"(>([^<]+)<)");
  const std::regex allowed(R"(^(\s|\{\{[^}]*\}\}\}?|[·():,!?.\-–/%#]|Essor|Français|English)*$)");
  for (const auto& file : embedded_files()) {
    if (!file.key.starts_with("templates/")) continue;
    const std::string text(file.data);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), text_node);
         it != std::sregex_iterator(); ++it) {
      const std::string node = (*it)[1].str();
      EXPECT_TRUE(std::regex_match(node, allowed)) << file.key << ": \"" << node << "\"";
    }
  }
}

}  // namespace
}  // namespace essor::web

namespace essor::web {
namespace {

TEST(Wording, FillsPlaceholdersAndWritesInstantsOnParisClocks) {
  EXPECT_EQ(fill_placeholders("{a} et {b}", {{"a", "x"}, {"b", "{a}"}}), "x et {a}");
  EXPECT_EQ(fill_placeholders("{inconnu} {a", {{"a", "x"}}), "{inconnu} {a");
  EXPECT_EQ(fill_placeholders("", {}), "");
  const auto summer = *core::parse_rfc3339("2026-07-14T08:05:00Z");
  EXPECT_EQ(when_text("fr", summer), "mardi 14 juillet 2026 à 10 h 05");
  EXPECT_EQ(when_text("en", summer), "Tuesday 14 July 2026 at 10:05 (Paris time)");
  EXPECT_EQ(date_text("fr", summer), "14 juillet 2026");
  EXPECT_EQ(date_text("en", summer), "14 July 2026");
  EXPECT_EQ(date_time_text("fr", summer), "14 juillet 2026 à 10 h 05");
  EXPECT_EQ(date_time_text("en", summer), "14 July 2026 at 10:05");
  // "18 h" on the hour; "1er" for the first day of a month; the Paris date
  // of an instant late in the UTC evening.
  const auto winter = *core::parse_rfc3339("2026-12-23T17:00:00Z");
  EXPECT_EQ(date_time_text("fr", winter), "23 décembre 2026 à 18 h");
  EXPECT_EQ(date_text("fr", *core::parse_rfc3339("2027-02-28T23:30:00Z")), "1er mars 2027");
  EXPECT_EQ(date_text("en", *core::parse_rfc3339("2027-02-28T23:30:00Z")), "1 March 2027");
  EXPECT_EQ(when_json("fr", winter)["iso"], "2026-12-23T17:00:00Z");
  const CatalogWording wording;
  EXPECT_EQ(
      wording.say("fr", "say_event_seat", {{"event", "AG"}, {"starts_at", std::to_string(summer)}}),
      "Une place s'est libérée : vous êtes inscrit·e à « AG » (mardi 14 juillet 2026 à 10 h "
      "05)");
  // A parameter named *_at that is not an instant is shown as it is.
  EXPECT_EQ(wording.say("en", "mail_circle_post_by", {{"name", "Awa"}, {"created_at", "soon"}}),
            "Awa, on soon:");
}

}  // namespace
}  // namespace essor::web
