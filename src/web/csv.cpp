#include "web/csv.hpp"

#include <cstdio>

#include "core/money.hpp"
#include "web/render.hpp"

namespace essor::web {

std::string csv_row(const std::vector<std::string>& fields, char separator) {
  std::string out;
  for (std::size_t idx = 0; idx < fields.size(); ++idx) {
    if (idx > 0) out += separator;
    const std::string& value = fields[idx];
    out += '"';
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                           value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
      out += '\'';
    }
    for (char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

Response csv_response(std::string body, const std::string& filename) {
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = "\xEF\xBB\xBF" + std::move(body);
  response.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.header("Cache-Control", "no-store");
  return response;
}

CsvSheet::CsvSheet(std::string lang)
    : lang_(std::move(lang)), separator_(lang_ == "fr" ? ';' : ',') {}

std::string CsvSheet::word(const std::string& key) const {
  return lang_.empty() ? key : translate(lang_, "csv_" + key);
}

void CsvSheet::header(const std::vector<std::string>& keys) {
  std::vector<std::string> cells;
  cells.reserve(keys.size());
  for (const auto& key : keys) cells.push_back(word(key));
  row(cells);
}

void CsvSheet::row(const std::vector<std::string>& cells) {
  body_ += csv_row(cells, separator_);
}

std::string CsvSheet::money(core::Cents cents) const {
  std::string text = core::format_decimal(cents);
  if (lang_ == "fr") {
    for (auto& c : text)
      if (c == '.') c = ',';
  }
  return text;
}

std::string CsvSheet::date(core::TimestampMs instant) const {
  if (lang_.empty()) return core::format_date(instant);
  const auto t = core::paris_time(instant);
  char out[16];
  if (lang_ == "fr")
    std::snprintf(out, sizeof out, "%02u/%02u/%04lld", t.day, t.month,
                  static_cast<long long>(t.year));
  else
    std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(t.year), t.month,
                  t.day);
  return out;
}

std::string CsvSheet::date_time(core::TimestampMs instant) const {
  if (lang_.empty()) return core::format_rfc3339(instant);
  return date(instant) + " " + core::paris_time_field(instant);
}

std::string CsvSheet::yes_no(bool value) const {
  return lang_.empty() ? (value ? "yes" : "no") : word(value ? "yes" : "no");
}

Response CsvSheet::response(const std::string& filename) && {
  return csv_response(std::move(body_), filename);
}

}  // namespace essor::web
