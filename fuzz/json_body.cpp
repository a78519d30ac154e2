// JSON request bodies and the typed fields the API reads from them.
#include "web/json_body.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  essor::web::Request request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = essor::web::parse_json_object(request);
  if (!body) return 0;
  std::map<std::string, std::string> problems;
  for (const char* name : {"title", "body_md", "email", "target_type", "payment_method"})
    (void)essor::web::string_field(*body, name, problems);
  for (const char* name : {"amount_cents", "goal_cents", "capacity", "quorum_pct"}) {
    if (auto value = essor::web::int_field(*body, name, problems)) {
      if (!body->at(name).is_number_integer()) __builtin_trap();
    }
  }
  (void)body->dump();
  return 0;
}
