#include "web/route_kinds.hpp"

#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"

namespace essor::web {

namespace {

// A JSON body that is not an object. Checked for every endpoint, those that
// read no field from it included (closing a vote, enrolling…), so that a
// malformed request is refused (400 invalid_json) and changes nothing
// there too. Bodies of other types (an image, a PDF, a bank statement) are
// their handlers' to check.
bool malformed_json_body(const Request& request) {
  if (request.body.empty() || request.method == "GET") return false;
  const auto type = request.header("content-type");
  if (type.substr(0, type.find(';')).find("json") == std::string_view::npos) return false;
  // JSON's null is no body, as an empty one (what some clients send).
  const Json body = Json::parse(request.body, nullptr, false);
  return !body.is_object() && !body.is_null();
}

}  // namespace

void add_api(Router& router, Services& services, std::string method, std::string pattern,
             ApiHandler handler) {
  router.add(std::move(method), std::move(pattern),
             [&services, handler = std::move(handler)](Request& request) {
               const auto who = require_bearer(services, request);
               if (!who) return error_response(who.error());
               if (malformed_json_body(request)) {
                 return error_response(core::Error{core::ErrorKind::invalid_json,
                                                   "invalid_json",
                                                   "The body must be a JSON object.",
                                                   {}});
               }
               return handler(request, *who);
             });
}

void add_page_form(Router& router, Services& services, std::string pattern,
                   PageFormHandler handler) {
  router.add("POST", std::move(pattern),
             [&services, handler = std::move(handler)](Request& request) {
               auto context = page_context(services, request);
               if (!context.user) return login_redirect(request);
               const Form form = form_of(request);
               if (!csrf_valid(services, request, form))
                 return render_error_page(services, request, 403);
               return handler(request, context, form);
             });
}

void add_public_form(Router& router, Services& services, std::string pattern,
                     PageFormHandler handler) {
  router.add("POST", std::move(pattern),
             [&services, handler = std::move(handler)](Request& request) {
               auto context = page_context(services, request);
               const Form form = form_of(request);
               if (!csrf_valid(services, request, form))
                 return render_error_page(services, request, 403);
               return handler(request, context, form);
             });
}

}  // namespace essor::web
