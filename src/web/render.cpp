#include "web/render.hpp"

#include <kainjow/mustache.hpp>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "core/money.hpp"
#include "web/embedded.hpp"
#include "web/form.hpp"

namespace essor::web {

namespace mustache = kainjow::mustache;
using Json = nlohmann::json;

namespace {

const Json& catalog(const std::string& lang) {
  static const Json fr = Json::parse(find_embedded("i18n/fr.json").value().data);
  static const Json en = Json::parse(find_embedded("i18n/en.json").value().data);
  return lang == "en" ? en : fr;
}

mustache::data to_data(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      mustache::data out{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) out.set(key, to_data(item));
      return out;
    }
    case Json::value_t::array: {
      mustache::data out{mustache::data::type::list};
      for (const auto& item : value) out.push_back(to_data(item));
      return out;
    }
    case Json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case Json::value_t::boolean:
      return mustache::data{value.get<bool>()};
    case Json::value_t::null:
      return mustache::data{false};
    default:
      return mustache::data{value.dump()};
  }
}

// The template's text with every {{t.key}} replaced by the catalog's
// entry in lang, HTML-escaped as mustache would: the catalog is applied
// once per template and language, not handed to every render (it has
// hundreds of entries).
std::string translated_template(std::string_view text, const std::string& lang) {
  std::string out;
  out.reserve(text.size());
  constexpr std::string_view open = "{{t.";
  std::size_t at = 0;
  while (true) {
    const auto start = text.find(open, at);
    if (start == std::string_view::npos) break;
    const auto end = text.find("}}", start);
    if (end == std::string_view::npos) break;
    out.append(text.substr(at, start - at));
    const std::string key(text.substr(start + open.size(), end - start - open.size()));
    out += mustache::html_escape<std::string>(translate(lang, key));
    at = end + 2;
  }
  out.append(text.substr(at));
  return out;
}

// mustache::render is not const, so each thread keeps its own parsed copy,
// one per template and language.
mustache::mustache& template_named(const std::string& name, const std::string& lang) {
  thread_local std::unordered_map<std::string, std::unique_ptr<mustache::mustache>> cache;
  auto& slot = cache[lang + "/" + name];
  if (!slot) {
    const auto file = find_embedded("templates/" + name + ".html");
    if (!file) throw std::logic_error("no template " + name);
    slot = std::make_unique<mustache::mustache>(translated_template(file->data, lang));
    if (!slot->is_valid())
      throw std::logic_error("template " + name + ": " + slot->error_message());
  }
  return *slot;
}

std::string render_template(const std::string& name, const std::string& lang,
                            const mustache::data& data) {
  return template_named(name, lang).render(data);
}

bool is_token_shaped(const std::string& text) {
  if (text.size() < 32 || text.size() > 64) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

thread_local ReaderKeeping* keeping_of_thread = nullptr;

}  // namespace

RenderingForAnyReader::RenderingForAnyReader(ReaderKeeping& keeping) {
  keeping_of_thread = &keeping;
}
RenderingForAnyReader::~RenderingForAnyReader() {
  keeping_of_thread = nullptr;
}
ReaderKeeping* reader_keeping() {
  return keeping_of_thread;
}

std::string render_fragment(const std::string& name, const std::string& lang, const Json& data) {
  mustache::data view = to_data(data);
  return render_template(name, lang, view);
}

std::string nav_html(const std::string& lang, const std::string& csrf,
                     const std::optional<app::Principal>& user, std::int64_t unread) {
  Json nav = {{"csrf", csrf}, {"user", false}};
  if (user) {
    nav["user"] = Json{{"moderator", user->moderator}};
    nav["unread"] = unread > 0 ? Json(unread) : Json(false);
  }
  return render_fragment("nav", lang, nav);
}

std::string balance_option_html(const std::string& lang, core::Cents balance, bool checked) {
  if (balance <= 0) return "";
  return render_fragment(
      "balance_option", lang,
      Json{{"balance_text", core::format_eur(balance, lang)}, {"checked", checked}});
}

std::string follow_button_html(const std::string& lang, bool following) {
  return render_fragment("follow_button", lang, Json{{"following", following}});
}

std::array<std::string, kReaderHoles> reader_holes(Services& services, const std::string& lang,
                                                   const std::string& csrf,
                                                   const app::ReaderParts& reader) {
  std::array<std::string, kReaderHoles> out;
  const auto at = [&out](ReaderHole hole) -> std::string& {
    return out[static_cast<std::size_t>(hole)];
  };
  at(ReaderHole::csrf) = csrf;
  at(ReaderHole::nav) = nav_html(lang, csrf, reader.who, reader.unread);
  at(ReaderHole::idempotency_key) = services.crypto.random_token();
  at(ReaderHole::balance) = balance_option_html(lang, reader.balance);
  at(ReaderHole::follow) = follow_button_html(lang, reader.following);
  return out;
}

std::string negotiate_language(const Request& request) {
  if (auto lang = request.cookie(kLangCookie); lang && (*lang == "fr" || *lang == "en")) {
    return *lang;
  }
  // Accept-Language: the supported tag with the highest q wins; ties go to
  // the one listed first.
  std::string_view header = request.header("accept-language");
  std::string best = "fr";
  double best_q = -1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    if (const auto semi = item.find(";q="); semi != std::string_view::npos) {
      try {
        q = std::stod(std::string(item.substr(semi + 3)));
      } catch (...) {
        q = 0;
      }
      item = item.substr(0, semi);
    }
    std::string tag(item.substr(0, 2));
    for (auto& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((tag == "fr" || tag == "en") && (item.size() == 2 || item[2] == '-') && q > best_q) {
      best = tag;
      best_q = q;
    }
  }
  return best;
}

bool large_text_chosen(const Request& request) {
  const auto text = request.cookie(kTextCookie);
  return text && *text == "large";
}

PageContext page_context(Services& services, const Request& request) {
  PageContext context;
  context.lang = negotiate_language(request);
  context.large_text = large_text_chosen(request);
  // The page to come back to (language and text size switches, follow
  // buttons): its path and query, without the one-time notices.
  context.path = request.path;
  char separator = '?';
  for (const auto& [name, value] : request.query_params()) {
    if (name == "done" || name == "error") continue;
    context.path += separator + percent_encode(name) + '=' + percent_encode(value);
    separator = '&';
  }
  if (auto token = request.cookie(kSessionCookie)) {
    if (reader_keeping()) {
      // Any signed-in reader: no id (no role, no follow), no moderation.
      context.user = app::Principal{};
      context.user->email_verified = true;
    } else {
      context.user = services.accounts.authenticate(*token);
    }
  }
  if (auto csrf = csrf_cookie(request)) {
    context.csrf_cookie = std::move(*csrf);
  } else {
    context.csrf_cookie = services.crypto.random_token();
    context.new_csrf = true;
  }
  context.csrf = csrf_form_token(services, request, context.csrf_cookie);
  return context;
}

std::string translate(const std::string& lang, const std::string& key) {
  const Json& messages = catalog(lang);
  const auto it = messages.find(key);
  return it != messages.end() && it->is_string() ? it->get<std::string>() : key;
}

bool catalog_has(const std::string& lang, const std::string& key) {
  return catalog(lang).contains(key);
}

Response render_page(Services& services, const PageContext& context, const std::string& name,
                     Json data, const std::string& title_key, int status) {
  data["lang"] = context.lang;
  data["is_fr"] = context.lang == "fr";
  data["is_en"] = context.lang == "en";
  data["csrf"] = context.csrf;
  data["path"] = context.path;
  data["large_text"] = context.large_text;
  // An empty notice draws no empty bar. (Json::empty() is false for any
  // string, the empty one too: the string itself is asked.)
  for (const char* key : {"notice", "error_notice"}) {
    if (const auto it = data.find(key);
        it != data.end() && it->is_string() && it->get_ref<const std::string&>().empty())
      data.erase(it);
  }
  if (context.user) {
    data["user"] = Json{{"display_name", context.user->display_name},
                        {"email", context.user->email},
                        {"moderator", context.user->moderator}};
  }
  if (const auto* keeping = reader_keeping()) {
    data["reader_nav"] = keeping->marker(ReaderHole::nav);
  } else {
    const auto unread = context.user ? services.community.notifications.unread(*context.user) : 0;
    data["reader_nav"] = nav_html(context.lang, context.csrf, context.user, unread);
  }
  if (!data.contains("title")) data["title"] = translate(context.lang, title_key);
  mustache::data view = to_data(data);
  const std::string body = render_template(name, context.lang, view);
  view.set("body", body);
  Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = render_template("layout", context.lang, view);
  response.header("Content-Language", context.lang);
  response.header("Cache-Control", "no-store");
  response.header("Vary", "Cookie, Accept-Language");
  if (context.new_csrf) {
    response.header("Set-Cookie", csrf_set_cookie(services, context.csrf_cookie));
  }
  return response;
}

Response render_error_page(Services& services, const Request& request, int status) {
  PageContext context;
  try {
    context = page_context(services, request);
  } catch (...) {
    context.lang = "fr";  // the database may be what failed
  }
  const std::string key = "error_" + std::to_string(status);
  Json data = {{"status", status},
               {"heading", translate(context.lang, key + "_title")},
               {"explanation", translate(context.lang, key + "_text")}};
  return render_page(services, context, "error", data, key + "_title", status);
}

std::optional<std::string> csrf_cookie(const Request& request) {
  auto csrf = request.cookie(kCsrfCookie);
  if (csrf && is_token_shaped(*csrf)) return csrf;
  return std::nullopt;
}

std::string csrf_set_cookie(const Services& services, const std::string& token) {
  return set_cookie_value(kCsrfCookie, token,
                          CookieOptions{services.options.secure_cookies, true, -1});
}

std::optional<std::string> csrf_set_by(const Response& response) {
  const std::string prefix = std::string(kCsrfCookie) + "=";
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie" && value.starts_with(prefix)) {
      return value.substr(prefix.size(), value.find(';') - prefix.size());
    }
  }
  return std::nullopt;
}

std::string csrf_form_token(const Services& services, const Request& request,
                            const std::string& cookie) {
  const std::string session = request.cookie(kSessionCookie).value_or("");
  return services.crypto.hmac_sha256_hex(services.options.csrf_key,
                                         "essor-csrf-v1\n" + cookie + "\n" + session);
}

namespace {

// The request came from one of our own pages: no Origin, or ours (the
// public URL's, or the Host it was sent to); and no Sec-Fetch-Site, or one
// that says same-origin (or none: typed by the user).
bool same_origin(const Services& services, const Request& request) {
  const std::string_view site = request.header("sec-fetch-site");
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  const std::string_view origin = request.header("origin");
  if (origin.empty()) return true;
  const std::string& public_url = services.options.public_url;
  const auto scheme_end = public_url.find("://");
  const auto path_start =
      scheme_end == std::string::npos ? std::string::npos : public_url.find('/', scheme_end + 3);
  if (origin == std::string_view(public_url).substr(0, path_start)) return true;
  const std::string_view host = request.header("host");
  if (host.empty()) return false;
  const std::string own = std::string(request.secure ? "https://" : "http://") + std::string(host);
  return origin == own;
}

}  // namespace

bool csrf_valid(const Services& services, const Request& request,
                const std::map<std::string, std::string>& form) {
  const auto cookie = csrf_cookie(request);
  const auto field = form.find("_csrf");
  if (!cookie || field == form.end()) return false;
  if (!same_origin(services, request)) return false;
  return constant_time_equal(csrf_form_token(services, request, *cookie), field->second);
}

}  // namespace essor::web
