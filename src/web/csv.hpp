// CSV (RFC 4180) for exports opened in spreadsheets: every field quoted,
// quotes doubled, CRLF line ends, and cells that a spreadsheet would run as
// a formula (= + - @ at the start) prefixed with an apostrophe.
#pragma once

#include <string>
#include <vector>

#include "web/http.hpp"

namespace essor::web {

std::string csv_row(const std::vector<std::string>& fields);

// A download of body (rows from csv_row) named filename, with a byte-order
// mark so that spreadsheet programs read the accents right.
Response csv_response(std::string body, const std::string& filename);

}  // namespace essor::web
