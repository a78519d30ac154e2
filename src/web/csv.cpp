#include "web/csv.hpp"

namespace essor::web {

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t idx = 0; idx < fields.size(); ++idx) {
    if (idx > 0) out += ',';
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

}  // namespace essor::web
