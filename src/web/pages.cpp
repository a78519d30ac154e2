// HTML pages of the foundation: home, sign-up, log-in, log-out, the user's
// page, organisation pages and member management, the language switch.
// Every form carries the CSRF token; every state change is a POST answered
// by a redirect (303) or by the form again with its errors.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "app/policy.hpp"
#include "core/id.hpp"
#include "core/matchfunding.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

const char* const kRoles[3] = {"member", "treasurer", "admin"};

// Text that is not UTF-8 (no browser sends it) is kept readable with U+FFFD
// in place of the bad bytes, so it can be validated, stored and shown back.
std::string transfer_html(const std::string& lang, const app::TransferInstructions& t,
                          const std::string& intro_key) {
  return render_fragment("transfer", lang,
                         Json{{"intro", translate(lang, intro_key)},
                              {"iban", t.iban},
                              {"bic", t.bic},
                              {"beneficiary", t.beneficiary},
                              {"reference", t.reference},
                              {"amount_text", core::format_eur(t.amount_cents, lang)},
                              {"epc_qr_svg", t.epc_qr_svg}});
}

std::string receipt_fields_html(const std::string& lang, const std::string& prefix,
                                const Json& values, const Json& errors) {
  const Json shown = values.is_object() ? values : Json::object();
  return render_fragment("receipt_fields", lang,
                         Json{{"p", prefix},
                              {"open", !shown.value("receipt_full_name", std::string()).empty()},
                              {"values", shown},
                              {"errors", errors.is_object() ? errors : Json::object()}});
}

std::string notice_of(const Request& request, const std::string& lang, const std::string& prefix) {
  const auto query = request.query_params();
  const auto done = query.find("done");
  if (done != query.end() && catalog_has(lang, prefix + done->second))
    return translate(lang, prefix + done->second);
  return "";
}

std::optional<app::DonorDetails> receipt_of(const Form& form) {
  if (field(form, "receipt_full_name").empty()) return std::nullopt;
  return app::DonorDetails{field(form, "receipt_full_name"), field(form, "receipt_address_line"),
                           field(form, "receipt_postal_code"), field(form, "receipt_city")};
}

Form form_of(const Request& request) {
  const std::string_view content_type = request.header("content-type");
  // Files (photos, statements) come as their bytes, untouched; a malformed
  // body gives no field (so no CSRF token: 403).
  if (content_type.starts_with("multipart/form-data"))
    return parse_multipart(content_type, request.body).value_or(Form{});
  Form form = parse_urlencoded(request.body).value_or(Form{});
  for (auto& [name, value] : form) value = core::to_valid_utf8(value);
  return form;
}

std::string field(const Form& form, const std::string& name) {
  const auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

ListPage list_page(const std::string& number, std::int64_t per_page) {
  ListPage page;
  page.per_page = per_page;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  // A bound so that offset() stays far from overflowing.
  if (ec == std::errc() && end == number.data() + number.size() && n >= 1 && n <= 1'000'000)
    page.number = n;
  return page;
}

ListPage list_page(const Request& request, std::int64_t per_page, const std::string& name) {
  const auto query = request.query_params();
  const auto it = query.find(name);
  return list_page(it == query.end() ? std::string("1") : it->second, per_page);
}

std::string pager_html(const std::string& lang, const std::string& label, const ListPage& page,
                       bool has_next, std::optional<std::int64_t> pages, const std::string& href,
                       const std::string& anchor) {
  if (page.number == 1 && !has_next) return "";
  const auto link = [&](std::int64_t n) { return Json(href + std::to_string(n) + anchor); };
  return render_fragment("pager", lang,
                         Json{{"label", label},
                              {"number", page.number},
                              {"pages", pages ? Json(*pages) : Json(false)},
                              {"prev", page.number > 1 ? link(page.number - 1) : Json(false)},
                              {"next", has_next ? link(page.number + 1) : Json(false)}});
}

// Only paths on this site: "/x", never "//host" or "/\host".
std::string safe_next(const std::string& next, const std::string& fallback) {
  if (next.size() < 1 || next.size() > 500 || next[0] != '/' ||
      (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) {
    return fallback;
  }
  for (char c : next) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return fallback;
  }
  return next;
}

// The errors of a failed use case, as {field: message} in the reader's
// language plus a summary list for the top of the form.
namespace {

// A field's problem as a catalog key and its number: "below the smallest
// loan of 5000 cents" is "below_the_smallest_loan_of_n_cents" with 5000.
std::pair<std::string, std::optional<std::int64_t>> problem_slug(const std::string& problem) {
  std::string slug;
  std::optional<std::int64_t> number;
  for (std::size_t i = 0; i < problem.size();) {
    const unsigned char c = static_cast<unsigned char>(problem[i]);
    if (std::isdigit(c)) {
      std::int64_t value = 0;
      while (i < problem.size() && std::isdigit(static_cast<unsigned char>(problem[i])))
        value = value * 10 + (problem[i++] - '0');
      if (!number) number = value;
      slug += 'n';
      continue;
    }
    if (std::isalpha(c))
      slug += static_cast<char>(std::tolower(c));
    else if (!slug.empty() && slug.back() != '_')
      slug += '_';
    ++i;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return {slug, number};
}

// The message for one field's problem, in the reader's language: the
// catalog's words for this problem of this field ("problem_<field>_is_<slug>"),
// else for this field ("problem_<field>"), else for this problem anywhere
// ("problem_is_<slug>"); {n} is the problem's number (in euros when the
// problem counts cents). The problem as the app said it when none is known.
std::string field_message(const std::string& lang, const std::string& name,
                          const std::string& problem) {
  const auto [slug, number] = problem_slug(problem);
  std::string n;
  if (number)
    n = problem.find("cents") != std::string::npos ? core::format_eur(core::Cents{*number}, lang)
                                                   : std::to_string(*number);
  for (const std::string& key :
       {"problem_" + name + "_is_" + slug, "problem_" + name, "problem_is_" + slug}) {
    if (catalog_has(lang, key)) return fill_placeholders(translate(lang, key), {{"n", n}});
  }
  return problem;
}

}  // namespace

Json errors_json(const std::string& lang, const core::Error& error) {
  Json fields = Json::object();
  Json summary = Json::array();
  auto message_for = [&](const std::string& key, const std::string& fallback) {
    return catalog_has(lang, key) ? translate(lang, key) : fallback;
  };
  if (error.fields.empty()) {
    summary.push_back(Json{{"message", message_for("problem_" + error.code, error.message)}});
  }
  for (const auto& [name, problem] : error.fields) {
    const std::string message = field_message(lang, name, problem);
    fields[name] = message;
    // A nested field ("guest.email") also by the name its form input has
    // ("guest_email"): templates cannot reach a key with a dot.
    if (name.find('.') != std::string::npos) {
      std::string flat = name;
      std::replace(flat.begin(), flat.end(), '.', '_');
      fields[flat] = message;
    }
    // The form's field to go to: an instant's date field ("closes_at" is
    // entered as "closes_on"), an amount's field in euros ("goal_cents" is
    // "goal").
    std::string anchor = name;
    if (anchor.ends_with("_at")) anchor = anchor.substr(0, anchor.size() - 3) + "_on";
    if (anchor.ends_with("_cents")) anchor.resize(anchor.size() - 6);
    summary.push_back(Json{{"field", name}, {"anchor", anchor}, {"message", message}});
  }
  return Json{{"fields", fields}, {"summary", summary}};
}

Json options_json(const std::string& lang, const char* prefix, std::span<const char* const> values,
                  const std::string& selected) {
  Json options = Json::array();
  for (const char* value : values) {
    options.push_back(Json{{"value", value},
                           {"label", translate(lang, std::string(prefix) + value)},
                           {"selected", selected == value}});
  }
  return options;
}

Json legal_form_options(const std::string& lang, const std::string& selected) {
  Json options = Json::array();
  for (const auto form : core::kLegalForms) {
    const std::string word = core::to_string(form);
    options.push_back(Json{{"value", word},
                           {"label", translate(lang, "legal_form_" + word)},
                           {"selected", selected == word}});
  }
  return options;
}

Response with_session_cookie(Response response, Services& services, const std::string& token,
                             long max_age_s) {
  const CookieOptions options{services.options.secure_cookies, true, max_age_s};
  response.header("Set-Cookie", set_cookie_value(kSessionCookie, token, options));
  // A new CSRF token with every new session (rotation at login).
  response.header("Set-Cookie",
                  set_cookie_value(kCsrfCookie, services.crypto.random_token(),
                                   CookieOptions{services.options.secure_cookies, true, -1}));
  return response;
}

Response login_redirect(const Request& request) {
  return redirect_response("/login?next=" + percent_encode(request.path));
}

std::optional<core::TimestampMs> date_time_field(const Form& form, const std::string& date_name,
                                                 const std::string& time_name) {
  return core::parse_paris_date_time(field(form, date_name), field(form, time_name));
}

std::optional<Response> confirmation_first(Services& services, const PageContext& context,
                                           const Request& request, const Form& form,
                                           const std::string& key, const std::string& back,
                                           const std::string& subject) {
  if (field(form, "confirmed") == "yes") return std::nullopt;
  Json fields = Json::array();
  for (const auto& [name, value] : form) {
    if (name == "_csrf" || name == "confirmed") continue;
    fields.push_back(Json{{"name", name}, {"value", value}});
  }
  const auto& lang = context.lang;
  return render_page(services, context, "confirm",
                     Json{{"heading", translate(lang, key + "_title")},
                          {"explanation", translate(lang, key + "_text")},
                          {"yes", translate(lang, key + "_yes")},
                          {"subject", subject},
                          {"action", request.path},
                          {"fields", fields},
                          {"back", safe_next(back, "/")}},
                     key + "_title");
}

std::string date_time_blame(const Form& form, const std::string& date_name,
                            const std::string& time_name, const std::string& date_problem) {
  return core::parse_paris_date_time(field(form, date_name), "12:00") ? time_name : date_problem;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = std::min(text.find('\n', start), text.size());
    auto line = core::trim(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

namespace {

Json org_view(const std::string& lang, const app::OrgRecord& org) {
  Json view = org_json(org);
  view["legal_form_label"] = translate(lang, "legal_form_" + core::to_string(org.legal_form));
  view["created_on"] = when_json(lang, org.created_at);
  return view;
}

}  // namespace

Response render_org_page(Services& services, const PageContext& context, const core::OrgId& org_id,
                         Json extra, int status) {
  auto org = services.orgs.get(org_id);
  if (!org)
    return render_page(services, context, "error",
                       Json{{"status", 404},
                            {"heading", translate(context.lang, "error_404_title")},
                            {"explanation", translate(context.lang, "error_404_text")}},
                       "error_404_title", 404);
  std::optional<core::Role> role;
  if (context.user) role = services.orgs.role_of(context.user->user_id, org_id);
  Json data = std::move(extra);
  data["org"] = org_view(context.lang, *org);
  data["title"] = org->name;
  data["is_member"] = role.has_value();
  if (context.user) data["me_id"] = context.user->user_id;
  data["is_admin"] =
      context.user && app::org_allows(*context.user, role, app::OrgAction::manage_members);
  data["can_bank"] =
      context.user && app::org_allows(*context.user, role, app::OrgAction::edit_bank_details);
  // The handle people follow from Mastodon and the rest of the fediverse.
  if (auto handle = services.federation.handle_of(org->id))
    data["fediverse_handle"] = "@" + *handle + "@" + services.federation.host();
  data["can_open_call"] =
      context.user && app::call_allows(role, org->legal_form, app::CallAction::open_call);
  // A funder's page lists its calls.
  if (core::is_funder_form(org->legal_form)) {
    Json calls = Json::array();
    for (const auto& call : services.calls.of_org(org->id)) {
      calls.push_back(
          {{"id", call.id},
           {"title", call.title},
           {"pool_text", core::format_eur(call.terms.pool_cents, context.lang)},
           {"remaining_text",
            core::format_eur(call.terms.pool_cents - call.committed_cents, context.lang)}});
    }
    data["org_calls"] = calls;
    data["has_org_calls"] = !calls.empty();
  }
  const Json campaigns = org_campaigns_json(services, context.lang, context.user, org_id);
  data["campaigns"] = campaigns;
  data["has_campaigns"] = !campaigns.empty();
  if (role) data["my_role"] = translate(context.lang, "role_" + core::to_string(*role));
  // The members' and governance tabs (members only) read what they show
  // when they are the tab shown; ?page= is the page of that tab's list.
  const std::string tab_asked = data.value("tab", ""), page_asked = data.value("page", "1");
  if (role && tab_asked == "members") {
    // Every member is counted; the tab lists them a hundred at a time, in
    // the order they joined, read a page at a time.
    const std::int64_t count = services.orgs.member_count(org_id);
    auto page = list_page(page_asked, 100);
    const std::int64_t pages =
        std::max<std::int64_t>(1, (count + page.per_page - 1) / page.per_page);
    page.number = std::min(page.number, pages);
    Json list = Json::array();
    if (auto members = services.orgs.members(org_id, page.per_page, page.offset())) {
      for (const auto& member : members->items) {
        list.push_back(
            Json{{"user_id", member.user_id},
                 {"display_name", member.display_name},
                 {"role_label", translate(context.lang, "role_" + core::to_string(member.role))},
                 {"joined_on", when_json(context.lang, member.joined_at)},
                 {"is_me", member.user_id == context.user->user_id}});
      }
    }
    data["members"] = list;
    data["members_count"] = count;
    data["members_pager"] = pager_html(context.lang, translate(context.lang, "org_members_pages"),
                                       page, page.number < pages, pages,
                                       "/orgs/" + org_id + "?tab=members&page=", "#members");
  }
  if (role && tab_asked == "governance") {
    // Every member may be given a proxy and is named.
    data["governance"] =
        org_governance_json(services, context.lang, *context.user, org_id,
                            services.orgs.roster(org_id), list_page(page_asked, 50));
  }
  data["community"] = org_community_json(services, context.lang, context.user, org_id);
  data["dues"] = org_dues_json(services, context, *org, role, data.value("join", Json::object()));
  // A tax receipt asked with dues or a regular gift, when the organisation
  // issues them: the form that failed gets its values and problems back.
  if (data["dues"]["receipts"].value("enabled", false)) {
    const Json problems =
        data.contains("errors") ? data["errors"].value("fields", Json::object()) : Json::object();
    const bool gift_failed = data.contains("gift_form");
    data["dues"]["gift_receipt_html"] =
        receipt_fields_html(context.lang, "", gift_failed ? data["gift_form"] : Json::object(),
                            gift_failed ? problems : Json::object());
    for (auto& plan : data["dues"]["plans"]) {
      const bool failed = plan.value("failed", false);
      plan["receipt_html"] = receipt_fields_html(
          context.lang, "plan-" + plan.value("id", std::string()) + "-",
          failed ? plan["join_values"] : Json::object(), failed ? problems : Json::object());
    }
  }
  // The page's tabs: what anyone sees, and the members' and admins' parts
  // on tabs of their own (links with ?tab=, no script).
  const bool admin_tab = data["is_admin"].get<bool>() || data["can_bank"].get<bool>();
  std::string tab = data.value("tab", "");
  if ((tab == "members" || tab == "governance") && !role) tab.clear();
  if (tab == "admin" && !admin_tab) tab.clear();
  if (tab != "members" && tab != "governance" && tab != "admin") tab = "about";
  Json tabs = Json::array();
  for (const char* name : {"about", "governance", "members", "admin"}) {
    const std::string n = name;
    if ((n == "members" || n == "governance") && !role) continue;
    if (n == "admin" && !admin_tab) continue;
    tabs.push_back(Json{{"href", "/orgs/" + org_id + (n == "about" ? "" : "?tab=" + n)},
                        {"label", translate(context.lang, "org_tab_" + n)},
                        {"current", n == tab}});
  }
  data["tabs"] = tabs;
  data["has_tabs"] = tabs.size() > 1;
  data["tab_" + tab] = true;
  if (!data.contains("form")) data["form"] = Json::object();
  if (!data["form"].contains("legal_forms")) {
    data["form"]["legal_forms"] =
        legal_form_options(context.lang, core::to_string(org->legal_form));
  }
  data["roles"] = options_json(context.lang, "role_", kRoles, "member");
  // The forms show what was submitted after an error, else what is stored.
  const std::string section = data["form"].value("section", "");
  data["edit"] = section == "edit" ? data["form"]["values"] : org_json(*org);
  data["bank"] = section == "bank" ? data["form"]["values"] : org_json(*org);
  if (!data.contains("plan_form")) data["plan_form"] = Json{{"period", "calendar_year"}};
  for (auto& option : data["dues"]["periods"])
    option["selected"] = option["value"] == data["plan_form"].value("period", "");
  return render_page(services, context, "org", data, "", status);
}

namespace {

app::OrgPatch patch_from_form(const Form& form, std::initializer_list<const char*> names) {
  app::OrgPatch patch;
  auto set = [&](const char* name, app::PatchField& target) {
    for (const char* wanted : names) {
      if (std::string_view(wanted) == name) {
        target.present = true;
        target.value = field(form, name);
      }
    }
  };
  set("name", patch.name);
  set("legal_form", patch.legal_form);
  set("description", patch.description);
  set("siren", patch.siren);
  set("region", patch.region);
  set("department", patch.department);
  set("iban", patch.iban);
  set("bic", patch.bic);
  return patch;
}

int status_for_form(const core::Error& error) {
  return status_of(error.kind);
}

void add_account_pages(Router& router, Services& services) {
  router.add("GET", "/signup", [&services](Request& request) {
    auto context = page_context(services, request);
    if (context.user) return redirect_response("/me");
    // Where to go once signed up (a guest's claim link, for one).
    const auto query = request.query_params();
    const std::string next = safe_next(query.count("next") ? query.at("next") : "", "");
    return render_page(services, context, "signup", Json{{"next", next}}, "signup_title");
  });

  add_public_form(
      router, services, "/signup",
      [&services](Request& request, PageContext& context, const Form& form) {
        auto result =
            services.accounts.signup(app::SignupInput{field(form, "email"), field(form, "password"),
                                                      field(form, "display_name")},
                                     request.client_address);
        if (!result) {
          Json data = {
              {"values",
               {{"email", field(form, "email")}, {"display_name", field(form, "display_name")}}},
              {"next", safe_next(field(form, "next"), "")},
              {"errors", errors_json(context.lang, result.error())}};
          return render_page(services, context, "signup", data, "signup_title",
                             status_for_form(result.error()));
        }
        return with_session_cookie(
            redirect_response(safe_next(field(form, "next"), "/me?done=welcome")), services,
            result->token, services.accounts.options().session_ttl_ms / 1000);
      });

  router.add("GET", "/login", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto query = request.query_params();
    const std::string next = safe_next(query.count("next") ? query.at("next") : "", "/me");
    if (context.user) return redirect_response(next);
    return render_page(services, context, "login", Json{{"next", next}}, "login_title");
  });

  add_public_form(router, services, "/login",
                  [&services](Request& request, PageContext& context, const Form& form) {
                    const std::string next = safe_next(field(form, "next"), "/me");
                    auto result = services.accounts.login(
                        field(form, "email"), field(form, "password"), request.client_address);
                    if (!result) {
                      Json data = {{"values", {{"email", field(form, "email")}}},
                                   {"next", next},
                                   {"errors", errors_json(context.lang, result.error())}};
                      return render_page(services, context, "login", data, "login_title",
                                         status_for_form(result.error()));
                    }
                    return with_session_cookie(redirect_response(next), services, result->token,
                                               services.accounts.options().session_ttl_ms / 1000);
                  });

  add_public_form(
      router, services, "/logout", [&services](Request& request, PageContext&, const Form&) {
        if (auto token = request.cookie(kSessionCookie)) services.accounts.logout(*token);
        Response response = redirect_response("/?done=logged_out");
        response.header("Set-Cookie",
                        set_cookie_value(kSessionCookie, "",
                                         CookieOptions{services.options.secure_cookies, true, 0}));
        return response;
      });

  add_public_form(router, services, "/lang", [&services](Request&, PageContext&, const Form& form) {
    const std::string lang = field(form, "lang") == "en" ? "en" : "fr";
    Response response = redirect_response(safe_next(field(form, "back"), "/"));
    response.header("Set-Cookie", set_cookie_value(kLangCookie, lang,
                                                   CookieOptions{services.options.secure_cookies,
                                                                 true, 365L * 86400}));
    return response;
  });

  // The large-text view, chosen once and kept on every page (a cookie, as
  // the language): for people who read better with bigger letters.
  add_public_form(
      router, services, "/text-size", [&services](Request&, PageContext&, const Form& form) {
        const bool large = field(form, "size") == "large";
        Response response = redirect_response(safe_next(field(form, "back"), "/"));
        response.header("Set-Cookie",
                        set_cookie_value(kTextCookie, large ? "large" : "normal",
                                         CookieOptions{services.options.secure_cookies, true,
                                                       large ? 365L * 86400 : 0}));
        return response;
      });

  router.add("GET", "/me", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json orgs = Json::array();
    for (const auto& mine : services.orgs.orgs_of(context.user->user_id))
      orgs.push_back(org_view(context.lang, mine.org));
    const auto query = request.query_params();
    // The pledges fifty at a time, newest first.
    const auto page = list_page(request, 50);
    const Json pledges = my_pledges_json(services, context.lang, *context.user, page);
    Json data = {
        {"orgs", orgs},
        {"has_orgs", !orgs.empty()},
        {"pledges", pledges["items"]},
        {"has_pledges", !pledges["items"].empty() || page.number > 1},
        {"pledges_pager",
         pager_html(context.lang, translate(context.lang, "me_pledges_pages"), page,
                    pledges["more"].get<bool>(), std::nullopt, "/me?page=", "#pledges-heading")},
        {"member_since", when_json(context.lang, context.user->created_at)},
        {"welcome", query.count("done") && query.at("done") == "welcome"},
        {"unverified", !context.user->email_verified}};
    if (query.count("done") && query.at("done") == "org_left")
      data["notice"] = translate(context.lang, "notice_org_left");
    if (query.count("done") && query.at("done") == "claimed")
      data["notice"] = translate(context.lang, "notice_claimed");
    return render_page(services, context, "me", data, "me_title");
  });
}

void add_org_pages(Router& router, Services& services) {
  router.add("GET", "/orgs/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json data = {{"legal_forms",
                  legal_form_options(context.lang, core::to_string(core::LegalForm::association))},
                 {"values", Json::object()}};
    return render_page(services, context, "org_new", data, "org_new_title");
  });

  add_page_form(
      router, services, "/orgs", [&services](Request&, PageContext& context, const Form& form) {
        auto org = services.orgs.create(
            *context.user, patch_from_form(form, {"name", "legal_form", "description", "siren",
                                                  "region", "department"}));
        if (!org) {
          Json data = {{"legal_forms", legal_form_options(context.lang, field(form, "legal_form"))},
                       {"values", form},
                       {"errors", errors_json(context.lang, org.error())}};
          data["values"].erase("_csrf");
          return render_page(services, context, "org_new", data, "org_new_title",
                             status_for_form(org.error()));
        }
        return redirect_response("/orgs/" + org->id + "?done=created");
      });

  router.add("GET", "/orgs/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto query = request.query_params();
    Json extra = Json::object();
    if (auto tab = query.find("tab"); tab != query.end()) extra["tab"] = tab->second;
    if (auto page = query.find("page"); page != query.end()) extra["page"] = page->second;
    if (auto done = query.find("done"); done != query.end()) {
      const std::string key = "notice_" + done->second;
      if (catalog_has(context.lang, key)) extra["notice"] = translate(context.lang, key);
    }
    if (auto error = query.find("error"); error != query.end()) {
      const std::string key = "error_org_" + error->second;
      if (catalog_has(context.lang, key)) extra["error_notice"] = translate(context.lang, key);
    }
    return render_org_page(services, context, request.id<core::OrgId>(), extra, 200);
  });

  // Profile and bank details: two forms, one use case.
  for (const auto& [suffix, names] : std::vector<std::pair<std::string, std::vector<const char*>>>{
           {"edit", {"name", "legal_form", "description", "siren", "region", "department"}},
           {"bank", {"iban", "bic"}}}) {
    add_page_form(
        router, services, "/orgs/{id}/" + suffix,
        [&services, suffix, names](Request& request, PageContext& context, const Form& form) {
          app::OrgPatch patch;
          if (suffix == "edit") {
            patch = patch_from_form(
                form, {"name", "legal_form", "description", "siren", "region", "department"});
            patch.voting_requires_dues = field(form, "voting_requires_dues") == "on";
          } else {
            patch = patch_from_form(form, {"iban", "bic"});
          }
          const core::OrgId org_id = request.id<core::OrgId>();
          auto org = services.orgs.update(*context.user, org_id, patch);
          if (!org) {
            if (org.error().kind != core::ErrorKind::validation) {
              return render_error_page(services, request, status_of(org.error().kind));
            }
            Json extra = {{"form", {{"section", suffix}, {"values", form}}},
                          {"errors", errors_json(context.lang, org.error())},
                          {"tab", "admin"}};
            extra["form"]["legal_forms"] =
                legal_form_options(context.lang, field(form, "legal_form"));
            return render_org_page(services, context, org_id, extra, 400);
          }
          return redirect_response("/orgs/" + org_id + "?tab=admin&done=saved");
        });
  }

  add_page_form(router, services, "/orgs/{id}/members",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const core::OrgId org_id = request.id<core::OrgId>();
                  auto member = services.invitations.invite_to_org(
                      *context.user, org_id, field(form, "email"), field(form, "role"));
                  if (!member) {
                    const auto kind = member.error().kind;
                    if (kind != core::ErrorKind::validation && kind != core::ErrorKind::conflict) {
                      return render_error_page(services, request, status_of(kind));
                    }
                    Json extra = {{"member_form", {{"email", field(form, "email")}}},
                                  {"errors", errors_json(context.lang, member.error())},
                                  {"tab", "members"}};
                    return render_org_page(services, context, org_id, extra, status_of(kind));
                  }
                  return redirect_response("/orgs/" + org_id + "?tab=members&done=member_invited");
                });

  add_page_form(
      router, services, "/orgs/{id}/members/{user_id}/remove",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        if (auto ask = confirmation_first(services, context, request, form, "confirm_member_remove",
                                          "/orgs/" + org_id + "?tab=members"))
          return *ask;
        auto status =
            services.orgs.remove_member(*context.user, org_id, request.id<core::UserId>("user_id"));
        if (!status) {
          if (status.error().kind != core::ErrorKind::conflict) {
            return render_error_page(services, request, status_of(status.error().kind));
          }
          Json extra = {{"errors", errors_json(context.lang, status.error())}, {"tab", "members"}};
          return render_org_page(services, context, org_id, extra, 409);
        }
        // Leaving: back to one's own page (the organisation's admin page is
        // not one's own any more).
        if (request.params["user_id"] == context.user->user_id)
          return redirect_response("/me?done=org_left");
        return redirect_response("/orgs/" + org_id + "?tab=members&done=member_removed");
      });
}

}  // namespace

void add_page_routes(Router& router, Services& services) {
  router.add("GET", "/", [&services](Request& request) {
    auto context = page_context(services, request);
    Json orgs = Json::array();
    for (const auto& org : services.orgs.latest(12)) orgs.push_back(org_view(context.lang, org));
    const auto query = request.query_params();
    const Json campaigns = live_campaigns_json(services, context.lang, 12);
    Json data = {{"orgs", orgs},
                 {"has_orgs", !orgs.empty()},
                 {"campaigns", campaigns},
                 {"has_campaigns", !campaigns.empty()}};
    if (query.count("done") &&
        (query.at("done") == "logged_out" || query.at("done") == "account_deleted")) {
      data["notice"] = translate(context.lang, "notice_" + query.at("done"));
    }
    return render_page(services, context, "home", data, "home_title");
  });
  add_account_pages(router, services);
  add_org_pages(router, services);
}

}  // namespace essor::web
