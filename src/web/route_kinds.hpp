// The kinds of route. Each checks once, before its handler runs, what all
// handlers of its kind need, so that no handler can forget it:
//   - api: a signed-in caller of the JSON API (a bearer token, see
//     require_bearer); 401 in the API's error format otherwise. The
//     handler gets the caller.
//   - page_form: a form a signed-in person posts from a page: signed in
//     (else a redirect to the sign-in page, which comes back), and the
//     form's CSRF token and origin valid (else the 403 page). The handler
//     gets the page's context, its user set, and the form.
//   - public_form: a form anyone may post (sign-up, sign-in, the language,
//     a password reset): the CSRF token and origin valid, else the 403 page.
// Routes open to anyone (public pages and reads, sign-up, sign-in) are
// added to the Router as they are; what they show is still decided by
// app's policy.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "web/router.hpp"

namespace essor::app {
struct Principal;
}

namespace essor::web {

struct Services;
struct PageContext;

using ApiHandler = std::function<Response(Request&, const app::Principal&)>;
void add_api(Router& router, Services& services, std::string method, std::string pattern,
             ApiHandler handler);

using PageFormHandler =
    std::function<Response(Request&, PageContext&, const std::map<std::string, std::string>&)>;
// POST only (a form).
void add_page_form(Router& router, Services& services, std::string pattern,
                   PageFormHandler handler);
// POST only; the context's user may be empty.
void add_public_form(Router& router, Services& services, std::string pattern,
                     PageFormHandler handler);

}  // namespace essor::web
