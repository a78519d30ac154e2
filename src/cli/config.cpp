#include "cli/config.hpp"

#include <charconv>
#include <stdexcept>

#include "core/validation.hpp"

namespace essor::cli {

void split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    throw std::invalid_argument("listen address \"" + listen + "\" is not HOST:PORT");
  }
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  unsigned value = 0;
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last || value > 65535) {
    throw std::invalid_argument("listen port in \"" + listen +
                                "\" is not a number from 0 to 65535");
  }
  port = static_cast<std::uint16_t>(value);
}

std::set<std::string> parse_admin_emails(const std::string& list) {
  std::set<std::string> emails;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const std::string item = core::ascii_lower(core::trim(
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (!item.empty()) emails.insert(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return emails;
}

bool parse_switch(const std::string& name, const std::string& value) {
  const std::string v = core::ascii_lower(core::trim(value));
  if (v == "on" || v == "true" || v == "1" || v == "yes") return true;
  if (v == "off" || v == "false" || v == "0" || v == "no") return false;
  throw std::invalid_argument(name + " must be on or off, not \"" + value + "\"");
}

}  // namespace essor::cli
