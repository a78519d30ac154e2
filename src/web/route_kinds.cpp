#include "web/route_kinds.hpp"

#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"

namespace essor::web {

void add_api(Router& router, Services& services, std::string method, std::string pattern,
             ApiHandler handler) {
  router.add(std::move(method), std::move(pattern),
             [&services, handler = std::move(handler)](Request& request) {
               const auto who = require_bearer(services, request);
               if (!who) return error_response(who.error());
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
