// CSV (RFC 4180) for exports opened in spreadsheets: every field quoted,
// quotes doubled, CRLF line ends, and cells that a spreadsheet would run as
// a formula (= + - @ at the start) prefixed with an apostrophe.
#pragma once

#include <string>
#include <vector>

namespace essor::web {

std::string csv_row(const std::vector<std::string>& fields);

}  // namespace essor::web
