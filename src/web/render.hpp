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
  std::string csrf;
  bool new_csrf = false;  // the CSRF cookie must be (re)sent
  std::string path;       // the page's own path, for the language switch
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

// True when the form's _csrf equals the CSRF cookie (constant time).
bool csrf_valid(const Request& request, const std::map<std::string, std::string>& form);
// The visitor's CSRF token, when the cookie holds a well-formed one.
std::optional<std::string> csrf_cookie(const Request& request);
// The Set-Cookie value that gives a visitor a new CSRF token.
std::string csrf_set_cookie(const Services& services, const std::string& token);
// The CSRF token a response gives its visitor with a Set-Cookie, if any.
std::optional<std::string> csrf_set_by(const Response& response);

}  // namespace essor::web
