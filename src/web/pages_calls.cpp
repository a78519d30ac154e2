// Matchfunding on the site: the calls' list and page (terms, what is
// committed and left, the matched campaigns, the form to apply and the
// funder's decisions), the form that opens a call, and /territoires, the
// territorial open data (a map of the regions drawn by the server, charts
// and their tables, downloads under the Licence Ouverte).
#include <algorithm>

#include "app/policy.hpp"
#include "core/campaign.hpp"
#include "core/matchfunding.hpp"
#include "core/money.hpp"
#include "core/territory.hpp"
#include "core/time.hpp"
#include "web/form.hpp"
#include "web/france_map.hpp"
#include "web/json_api.hpp"
#include "web/markdown.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

Json call_view(const std::string& lang, const app::CallRecord& k, core::TimestampMs now) {
  Json out = call_json(k);
  const auto& t = k.terms;
  out["pool_text"] = core::format_eur(t.pool_cents, lang);
  out["committed_text"] = core::format_eur(k.committed_cents, lang);
  out["remaining_text"] = core::format_eur(t.pool_cents - k.committed_cents, lang);
  out["cap_campaign_text"] = core::format_eur(t.cap_per_campaign_cents, lang);
  out["cap_pledge_text"] =
      t.cap_per_pledge_cents ? core::format_eur(*t.cap_per_pledge_cents, lang) : "";
  out["cap_backer_text"] =
      t.cap_per_backer_cents ? core::format_eur(*t.cap_per_backer_cents, lang) : "";
  out["has_cap_pledge"] = t.cap_per_pledge_cents.has_value();
  out["has_cap_backer"] = t.cap_per_backer_cents.has_value();
  out["opens_on"] = when_json(lang, t.opens_at);
  out["closes_on"] = when_json(lang, t.closes_at);
  out["is_open"] = core::call_open(t, now);
  out["is_over"] = t.closes_at <= now;
  out["percent"] = t.pool_cents > 0 ? k.committed_cents * 100 / t.pool_cents : 0;
  Json criteria = Json::array();
  for (const auto& code : k.regions) criteria.push_back(core::region_name(code).value_or(code));
  for (const auto& c : k.categories) criteria.push_back(translate(lang, "category_" + c));
  for (const auto f : k.legal_forms)
    criteria.push_back(translate(lang, "legal_form_" + core::to_string(f)));
  out["criteria"] = criteria;
  out["has_criteria"] = !criteria.empty();
  return out;
}

Json application_view(const std::string& lang, const app::ApplicationRecord& a) {
  Json out = application_json(a);
  out["matched_text"] = core::format_eur(a.matched_cents, lang);
  out["status_label"] = translate(lang, "application_status_" + core::to_string(a.status));
  out["is_pending"] = a.status == core::ApplicationStatus::pending;
  return out;
}

Response render_call_page(Services& services, const PageContext& context, const Request& request,
                          const std::string& id, Json extra, int status) {
  const auto who = context.user.value_or(app::Principal{});
  auto view = services.calls.get(who, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  const auto now = services.clock.now();
  Json data = std::move(extra);
  data["call"] = call_view(context.lang, view->call, now);
  data["description_html"] = markdown_to_html(view->call.description_md);
  data["title"] = view->call.title;
  data["may_decide"] = view->may_decide;
  Json accepted = Json::array(), others = Json::array();
  for (const auto& a : view->applications) {
    (a.status == core::ApplicationStatus::accepted ? accepted : others)
        .push_back(application_view(context.lang, a));
  }
  data["accepted"] = accepted;
  data["has_accepted"] = !accepted.empty();
  data["others"] = others;
  data["has_others"] = !others.empty();
  // The campaigns the reader may put forward: those of the organisations
  // they run, not over.
  Json mine = Json::array();
  if (context.user && !data["call"]["is_over"].get<bool>()) {
    for (const auto& [org, role] : services.orgs.orgs_of(context.user->user_id)) {
      if (!app::call_allows(role, org.legal_form, app::CallAction::apply)) continue;
      for (const auto& c : org_campaigns_json(services, context.lang, context.user, org.id)) {
        if (c.value("is_loan", false)) continue;
        const std::string state = c.value("status", "");
        if (state == "succeeded" || state == "failed") continue;
        mine.push_back({{"id", c["id"]}, {"title", c["title"]}, {"org_name", org.name}});
      }
    }
  }
  data["my_campaigns"] = mine;
  data["can_apply"] = !mine.empty();
  return render_page(services, context, "call", data, "call_title", status);
}

// The form's fields back into a call's input; unreadable ones as problems.
core::CallInput call_input(const Form& form, std::map<std::string, std::string>& problems) {
  core::CallInput input;
  input.title = field(form, "title");
  input.description_md = field(form, "description_md");
  auto amount = [&](const char* name, const char* key,
                    bool required) -> std::optional<core::Cents> {
    const std::string text = field(form, name);
    if (text.empty()) {
      if (required) problems[key] = "required";
      return std::nullopt;
    }
    auto cents = core::parse_eur(text);
    if (!cents) problems[key] = "not an amount";
    return cents;
  };
  input.terms.pool_cents = amount("pool", "pool_cents", true).value_or(0);
  input.terms.cap_per_campaign_cents =
      amount("cap_per_campaign", "cap_per_campaign_cents", true).value_or(0);
  input.terms.cap_per_pledge_cents = amount("cap_per_pledge", "cap_per_pledge_cents", false);
  input.terms.cap_per_backer_cents = amount("cap_per_backer", "cap_per_backer_cents", false);
  const std::string ratio = field(form, "match_ratio_pct");
  std::int64_t pct = 0;
  bool digits = !ratio.empty() && ratio.size() <= 5;
  for (char c : ratio) {
    digits = digits && c >= '0' && c <= '9';
    pct = pct * 10 + (c - '0');
  }
  if (digits)
    input.terms.match_ratio_pct = pct;
  else
    problems["match_ratio_pct"] = "must be a whole number of percent";
  const auto opens = date_time_field(form, "opens_on", "opens_time");
  const auto closes = date_time_field(form, "closes_on", "closes_time");
  if (opens)
    input.terms.opens_at = *opens;
  else
    problems[date_time_blame(form, "opens_on", "opens_time", "opens_at")] = "not a date and time";
  if (closes)
    input.terms.closes_at = *closes;
  else
    problems[date_time_blame(form, "closes_on", "closes_time", "closes_at")] =
        "not a date and time";
  // Checkboxes: one field per chosen value ("region_11=on").
  for (const auto& region : core::regions()) {
    if (field(form, "region_" + std::string(region.code)) == "on")
      input.regions.emplace_back(region.code);
  }
  for (const char* category : core::kCategories) {
    if (field(form, std::string("category_") + category) == "on")
      input.categories.emplace_back(category);
  }
  for (const auto legal_form : core::kLegalForms) {
    if (core::is_funder_form(legal_form)) continue;
    if (field(form, "form_" + core::to_string(legal_form)) == "on")
      input.legal_forms.push_back(core::to_string(legal_form));
  }
  return input;
}

Response render_call_form(Services& services, const PageContext& context, const app::OrgRecord& org,
                          const Form& values, Json extra, int status) {
  Json data = std::move(extra);
  data["org"] = {{"id", org.id}, {"name", org.name}};
  data["values"] = values;
  Json regions = Json::array(), categories = Json::array(), forms = Json::array();
  for (const auto& region : core::regions()) {
    const std::string name = "region_" + std::string(region.code);
    regions.push_back(
        {{"name", name}, {"label", region.name}, {"checked", field(values, name) == "on"}});
  }
  for (const char* category : core::kCategories) {
    const std::string name = std::string("category_") + category;
    categories.push_back({{"name", name},
                          {"label", translate(context.lang, name)},
                          {"checked", field(values, name) == "on"}});
  }
  for (const auto legal_form : core::kLegalForms) {
    if (core::is_funder_form(legal_form)) continue;
    const std::string word = core::to_string(legal_form), name = "form_" + word;
    forms.push_back({{"name", name},
                     {"label", translate(context.lang, "legal_form_" + word)},
                     {"checked", field(values, name) == "on"}});
  }
  data["regions"] = regions;
  data["categories"] = categories;
  data["legal_forms"] = forms;
  data["title"] = translate(context.lang, "call_new_title") + " · " + org.name;
  return render_page(services, context, "call_form", data, "call_new_title", status);
}

}  // namespace

void add_call_pages(Router& router, Services& services) {
  router.add("GET", "/calls", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto now = services.clock.now();
    // Fifty at a time, latest closing first.
    const auto page = list_page(request, 50);
    auto calls = services.calls.list(page.limit(), page.offset());
    const bool more = trim_to_list_page(calls, page);
    Json list = Json::array();
    for (const auto& call : calls) list.push_back(call_view(context.lang, call, now));
    Json data = {{"calls", list},
                 {"has_calls", !list.empty()},
                 {"pager", pager_html(context.lang, translate(context.lang, "calls_pages"), page,
                                      more, std::nullopt, "/calls?page=")}};
    return render_page(services, context, "calls", data, "calls_title");
  });

  router.add("GET", "/calls/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_call_page(services, context, request, request.params["id"], extra, 200);
  });

  add_page_form(
      router, services, "/calls/{id}/apply",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string id = request.params["id"];
        auto applied =
            services.calls.apply(*context.user, id, core::CampaignId{field(form, "campaign_id")});
        if (!applied) {
          if (applied.error().kind == core::ErrorKind::not_found ||
              applied.error().kind == core::ErrorKind::forbidden)
            return render_error_page(services, request, status_of(applied.error().kind));
          return render_call_page(services, context, request, id,
                                  {{"errors", errors_json(context.lang, applied.error())}},
                                  status_of(applied.error().kind));
        }
        return redirect_response("/calls/" + id + "?done=call_applied");
      });

  add_page_form(
      router, services, "/calls/{id}/applications/{campaign_id}/decision",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string id = request.params["id"];
        const std::string decision = field(form, "accepted");
        if (decision != "yes" && decision != "no") return render_error_page(services, request, 400);
        auto decided = services.calls.decide(
            *context.user, id, request.id<core::CampaignId>("campaign_id"), decision == "yes");
        if (!decided) {
          if (decided.error().kind == core::ErrorKind::conflict) {
            return render_call_page(
                services, context, request, id,
                {{"error_notice", translate(context.lang, "call_decision_conflict")}}, 409);
          }
          return render_error_page(services, request, status_of(decided.error().kind));
        }
        return redirect_response(
            "/calls/" + id + "?done=" + (decision == "yes" ? "call_accepted" : "call_declined"));
      });

  router.add("GET", "/orgs/{id}/calls/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto org = services.orgs.get(request.id<core::OrgId>());
    if (!org) return render_error_page(services, request, 404);
    if (!app::call_allows(services.orgs.role_of(context.user->user_id, org->id), org->legal_form,
                          app::CallAction::open_call))
      return render_error_page(services, request, 403);
    const auto now = services.clock.now();
    Form values = {{"match_ratio_pct", "100"},
                   {"opens_on", core::paris_date_field(now)},
                   {"opens_time", "00:00"},
                   {"closes_time", "23:59"}};
    return render_call_form(services, context, *org, values, Json::object(), 200);
  });

  add_page_form(router, services, "/orgs/{id}/calls",
                [&services](Request& request, PageContext& context, const Form& form) {
                  auto org = services.orgs.get(request.id<core::OrgId>());
                  if (!org) return render_error_page(services, request, 404);
                  std::map<std::string, std::string> problems;
                  const auto input = call_input(form, problems);
                  auto call = services.calls.open(*context.user, org->id, input, problems);
                  if (!call) {
                    if (call.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(call.error().kind));
                    return render_call_form(services, context, *org, form,
                                            {{"errors", errors_json(context.lang, call.error())}},
                                            400);
                  }
                  return redirect_response("/calls/" + call->id + "?done=call_opened");
                });

  router.add("GET", "/territoires", [&services](Request& request) {
    auto context = page_context(services, request);
    auto query = territory_query(request, services.clock.now());
    if (!query) {
      return render_page(services, context, "territories",
                         {{"errors", errors_json(context.lang, query.error())}},
                         "territories_title", 400);
    }
    auto regions = services.calls.territories(app::TerritoryLevel::region, query->year);
    auto lines = query->level == app::TerritoryLevel::region
                     ? regions
                     : services.calls.territories(query->level, query->year);
    if (!regions || !lines) return render_error_page(services, request, 400);
    const std::string& lang = context.lang;
    // The map always shows the regions: money from citizens and funders.
    std::map<std::string, MapRegionValue> shades;
    for (const auto& line : *regions) {
      shades[line.code] = {line.raised_cents + line.matched_cents,
                           line.name + " : " + core::format_eur(line.raised_cents, lang) + " " +
                               translate(lang, "territory_from_citizens") + ", " +
                               core::format_eur(line.matched_cents, lang) + " " +
                               translate(lang, "territory_from_funders")};
    }
    Json rows = Json::array();
    std::vector<std::pair<std::string, std::int64_t>> citizens_bars, funders_bars;
    app::TerritoryLine total;
    std::map<std::string, app::TerritoryLine::Part> by_category, by_form;
    for (const auto& line : *lines) {
      for (const auto& [key, part] : line.by_category) {
        by_category[key].campaigns += part.campaigns;
        by_category[key].raised_cents += part.raised_cents;
        by_category[key].matched_cents += part.matched_cents;
      }
      for (const auto& [key, part] : line.by_legal_form) {
        by_form[key].campaigns += part.campaigns;
        by_form[key].raised_cents += part.raised_cents;
        by_form[key].matched_cents += part.matched_cents;
      }
      Json row = territory_json(line);
      row["raised_text"] = core::format_eur(line.raised_cents, lang);
      row["matched_text"] = core::format_eur(line.matched_cents, lang);
      row["leverage_text"] =
          line.matched_cents > 0
              ? core::format_hundredths(line.raised_cents * 100 / line.matched_cents)
              : std::string("–");
      if (lang == "fr") {
        std::string text = row["leverage_text"];
        std::replace(text.begin(), text.end(), '.', ',');
        row["leverage_text"] = text;
      }
      rows.push_back(std::move(row));
      if (line.campaigns > 0) {
        citizens_bars.emplace_back(line.name, line.raised_cents / 100);
        funders_bars.emplace_back(line.name, line.matched_cents / 100);
      }
      total.campaigns += line.campaigns;
      total.succeeded += line.succeeded;
      total.raised_cents += line.raised_cents;
      total.matched_cents += line.matched_cents;
    }
    auto parts_rows = [&](const std::map<std::string, app::TerritoryLine::Part>& by,
                          const std::string& prefix) {
      Json rows_out = Json::array();
      for (const auto& [key, part] : by) {
        rows_out.push_back({{"label", translate(lang, prefix + key)},
                            {"campaigns", part.campaigns},
                            {"raised_text", core::format_eur(part.raised_cents, lang)},
                            {"matched_text", core::format_eur(part.matched_cents, lang)}});
      }
      return rows_out;
    };
    const std::string level = query->level == app::TerritoryLevel::region ? "region" : "department";
    const std::string suffix = "?level=" + level + "&year=" + std::to_string(query->year);
    Json data = {
        {"year", query->year},
        {"is_region", query->level == app::TerritoryLevel::region},
        {"map_svg", france_regions_svg(shades, "map-caption")},
        {"rows", rows},
        {"by_category", parts_rows(by_category, "category_")},
        {"by_legal_form", parts_rows(by_form, "legal_form_")},
        {"has_activity", total.campaigns > 0},
        {"total",
         {{"campaigns", total.campaigns},
          {"succeeded", total.succeeded},
          {"raised_text", core::format_eur(total.raised_cents, lang)},
          {"matched_text", core::format_eur(total.matched_cents, lang)}}},
        {"citizens_chart", bar_chart(citizens_bars)},
        {"funders_chart", bar_chart(funders_bars)},
        {"csv_url", "/data/territories.csv" + suffix},
        {"json_url", "/data/territories.json" + suffix},
        {"licence_url", kEtalabLicenceUrl},
        {"title", translate(lang, "territories_title") + " · " + std::to_string(query->year)}};
    return render_page(services, context, "territories", data, "territories_title");
  });
}

}  // namespace essor::web
