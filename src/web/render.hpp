// Server-rendered pages: the language of the reader, the signed-in user from
// the session cookie, the CSRF token, message catalogs, and mustache
// templates rendered inside the base layout.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "web/http.hpp"
#include "web/services.hpp"

namespace essor::web {

inline constexpr std::string_view kSessionCookie = "essor_session";
inline constexpr std::string_view kCsrfCookie = "essor_csrf";
inline constexpr std::string_view kLangCookie = "essor_lang";

struct PageContext {
  std::string lang = "fr";  // "fr" or "en"
  std::optional<app::Principal> user;
  std::string csrf;         // the token the page's forms carry (csrf_form_token)
  std::string csrf_cookie;  // the visitor's CSRF cookie it was made from
  bool new_csrf = false;    // the CSRF cookie must be (re)sent
  std::string path;         // the page's own path, for the language switch
};

// "fr" unless the cookie or Accept-Language prefers English.
std::string negotiate_language(const Request& request);
PageContext page_context(Services& services, const Request& request);

// The text of key in lang's catalog (the key itself when missing, which the
// catalog test forbids).
std::string translate(const std::string& lang, const std::string& key);
bool catalog_has(const std::string& lang, const std::string& key);

// Renders templates/<name>.html with data (plus t, lang, user, csrf) inside
// the layout, titled by the catalog entry title_key.
Response render_page(Services& services, const PageContext& context, const std::string& name,
                     nlohmann::json data, const std::string& title_key, int status = 200);
Response render_error_page(Services& services, const Request& request, int status);

// CSRF (docs/security.md): the visitor's essor_csrf cookie is a random
// value; the token in forms is an HMAC of it and of the session cookie
// under the server's key, so a token is worth nothing in another browser or
// another session, and a cookie planted by someone else gives no token.
// True when the form's _csrf is the token of this request's cookies
// (constant time), and the request did not come from another site (Origin,
// Sec-Fetch-Site).
bool csrf_valid(const Services& services, const Request& request,
                const std::map<std::string, std::string>& form);
// The form token of a CSRF cookie in this request (its session cookie too).
std::string csrf_form_token(const Services& services, const Request& request,
                            const std::string& cookie);
// The visitor's CSRF cookie, when well formed.
std::optional<std::string> csrf_cookie(const Request& request);
// The Set-Cookie value that gives a visitor a new CSRF token.
std::string csrf_set_cookie(const Services& services, const std::string& token);
// The CSRF cookie a response gives its visitor with a Set-Cookie, if any.
std::optional<std::string> csrf_set_by(const Response& response);

}  // namespace essor::web
