// CSV (RFC 4180) for exports opened in spreadsheets: every field quoted,
// quotes doubled, CRLF line ends, and cells that a spreadsheet would run as
// a formula (= + - @ at the start) prefixed with an apostrophe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "web/http.hpp"

namespace essor::web {

std::string csv_row(const std::vector<std::string>& fields, char separator = ',');

// A download of body (rows from csv_row) named filename, with a byte-order
// mark so that spreadsheet programs read the accents right.
Response csv_response(std::string body, const std::string& filename);

// A sheet as the reader's spreadsheet opens it. French ("fr"): ";" between
// cells, "," in decimals, dates "23/12/2026" and times "23/12/2026 18:05"
// on the clocks of Europe/Paris, headers in French; English ("en"): ","
// and ".", ISO dates, headers in English; for programs (lang ""): the
// English separators, RFC 3339 instants and the column keys as headers,
// a format that never changes with the reader (the /api/v1 exports).
class CsvSheet {
 public:
  explicit CsvSheet(std::string lang);
  // The header row: each key translated as "csv_<key>" (the key itself for programs).
  void header(const std::vector<std::string>& keys);
  void row(const std::vector<std::string>& cells);
  std::string money(core::Cents cents) const;
  std::string date(core::TimestampMs instant) const;
  std::string date_time(core::TimestampMs instant) const;
  std::string yes_no(bool value) const;
  // A word of the sheet's language ("csv_<key>"), the key for programs.
  std::string word(const std::string& key) const;
  Response response(const std::string& filename) &&;

 private:
  std::string lang_;
  char separator_;
  std::string body_;
};

}  // namespace essor::web
