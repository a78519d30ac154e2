#include "web/form.hpp"

namespace essor::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space, bool lenient) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const char c = text[idx];
    if (c == '%') {
      const int high = idx + 2 < text.size() ? hex_value(text[idx + 1]) : -1;
      const int low = idx + 2 < text.size() ? hex_value(text[idx + 2]) : -1;
      if (high < 0 || low < 0) {
        if (!lenient) return std::nullopt;
        out.push_back(c);
        continue;
      }
      out.push_back(static_cast<char>(high * 16 + low));
      idx += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_urlencoded(std::string_view text,
                                                                   bool lenient) {
  std::map<std::string, std::string> fields;
  std::size_t count = 0;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > kMaxFields) return std::nullopt;
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true, lenient);
    auto value =
        percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true, lenient);
    if (!name || !value) return std::nullopt;
    fields.emplace(std::move(*name), std::move(*value));
  }
  return fields;
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  while (!header.empty() && cookies.size() < kMaxFields) {
    const auto semi = header.find(';');
    const std::string_view pair = trim_spaces(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = trim_spaces(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    cookies.emplace(std::string(trim_spaces(pair.substr(0, eq))), std::string(value));
  }
  return cookies;
}

std::optional<std::map<std::string, std::string>> parse_multipart(std::string_view content_type,
                                                                  std::string_view body) {
  if (!content_type.starts_with("multipart/form-data")) return std::nullopt;
  const auto at = content_type.find("boundary=");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view boundary = content_type.substr(at + 9);
  boundary = boundary.substr(0, boundary.find(';'));
  if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
    boundary = boundary.substr(1, boundary.size() - 2);
  }
  if (boundary.empty() || boundary.size() > 70) return std::nullopt;
  const std::string delimiter = "--" + std::string(boundary);
  std::map<std::string, std::string> fields;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return std::nullopt;
  for (std::size_t parts = 0;; ++parts) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return fields;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n" || parts >= kMaxFields) return std::nullopt;
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    const std::string_view headers = body.substr(pos, headers_end - pos);
    const auto next = body.find("\r\n" + delimiter, headers_end + 4);
    if (next == std::string_view::npos) return std::nullopt;
    const std::string_view content = body.substr(headers_end + 4, next - headers_end - 4);
    // "; name=" and not the end of "filename=".
    const auto name_at = headers.find("; name=\"");
    if (name_at != std::string_view::npos) {
      const auto name_end = headers.find('"', name_at + 8);
      if (name_end == std::string_view::npos) return std::nullopt;
      fields.emplace(std::string(headers.substr(name_at + 8, name_end - name_at - 8)),
                     std::string(content));
    }
    pos = next + 2;
  }
}

}  // namespace essor::web
