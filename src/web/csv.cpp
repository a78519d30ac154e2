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

Response csv_response(std::string body, const std::string& filename) {
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = "\xEF\xBB\xBF" + std::move(body);
  response.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.header("Cache-Control", "no-store");
  return response;
}

}  // namespace essor::web
