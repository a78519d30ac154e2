// Server-rendered pages: the language of the reader, the signed-in user from
// the session cookie, the CSRF token, message catalogs, and mustache
// templates rendered inside the base layout.
#pragma once

#include <array>
#include <cstdint>
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
// "large" when the reader chose the large-text view (every page, remembered).
inline constexpr std::string_view kTextCookie = "essor_text";

struct PageContext {
  std::string lang = "fr";  // "fr" or "en"
  std::optional<app::Principal> user;
  std::string csrf;         // the token the page's forms carry (csrf_form_token)
  std::string csrf_cookie;  // the visitor's CSRF cookie it was made from
  bool new_csrf = false;    // the CSRF cookie must be (re)sent
  std::string path;         // the page's own path, for the language switch
  bool large_text = false;  // the reader chose the large-text view
};

// Whether the reader chose the large-text view (kTextCookie).
bool large_text_chosen(const Request& request);

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
// templates/<name>.html alone (a part of a page), with data only.
std::string render_fragment(const std::string& name, const std::string& lang,
                            const nlohmann::json& data);

// A page kept for any signed-in reader (App::reader_page) is rendered once
// with the reader's own parts written as these markers, and each reader's
// parts are put in their place for each request.
enum class ReaderHole : std::uint8_t {
  csrf,             // the form token (the request's own, as for anonymous pages)
  nav,              // the menu (templates/nav.html): moderator links, unread count
  idempotency_key,  // the pledge form's, new for each request
  balance,          // the "pay from my balance" choice (templates/balance_option.html)
  follow,           // the follow button (templates/follow_button.html)
};
inline constexpr std::size_t kReaderHoles = 5;

struct ReaderKeeping {
  std::array<std::string, kReaderHoles> markers;  // markers[csrf] set by the caller
  app::ReaderQuestion question;                   // filled by the page's handler
  const std::string& marker(ReaderHole hole) const {
    return markers[static_cast<std::size_t>(hole)];
  }
};

// While it lives, this thread's pages are rendered for any signed-in
// reader: page_context() gives a signed-in visitor a principal with no id,
// no role and no moderation, and the reader's parts are keeping's markers.
class RenderingForAnyReader {
 public:
  explicit RenderingForAnyReader(ReaderKeeping& keeping);
  ~RenderingForAnyReader();
  RenderingForAnyReader(const RenderingForAnyReader&) = delete;
  RenderingForAnyReader& operator=(const RenderingForAnyReader&) = delete;
};
// The keeping of the page this thread renders, or null.
ReaderKeeping* reader_keeping();

// The reader's parts, for a page rendered for them and to fill a kept one.
std::string nav_html(const std::string& lang, const std::string& csrf,
                     const std::optional<app::Principal>& user, std::int64_t unread);
std::string balance_option_html(const std::string& lang, core::Cents balance,
                                bool checked = false);  // "" when none
std::string follow_button_html(const std::string& lang, bool following);
// Every hole of a page kept for any signed-in reader, for this reader.
std::array<std::string, kReaderHoles> reader_holes(Services& services, const std::string& lang,
                                                   const std::string& csrf,
                                                   const app::ReaderParts& reader);

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
