// JSON API, spec "Funding calls (matchfunding)" and "Territorial open data".
#include "core/territory.hpp"
#include "core/time.hpp"
#include "web/csv.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

Json legal_form_words(const std::vector<core::LegalForm>& forms) {
  Json out = Json::array();
  for (const auto form : forms) out.push_back(core::to_string(form));
  return out;
}

// A list of short codes: absent or null → empty.
std::vector<std::string> word_list(const Json& body, const char* name,
                                   std::map<std::string, std::string>& problems) {
  std::vector<std::string> out;
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > 120) {
    problems[name] = "must be a list of at most 120 codes";
    return out;
  }
  for (const auto& item : *it) {
    if (!item.is_string() || item.get<std::string>().empty() ||
        item.get<std::string>().size() > 40 ||
        item.get<std::string>().find(',') != std::string::npos) {
      problems[name] = "must be a list of codes";
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<core::TimestampMs> instant_field(const Json& body, const char* name,
                                               std::map<std::string, std::string>& problems) {
  auto text = string_field(body, name, problems).value;
  if (!text) {
    if (!problems.count(name)) problems[name] = "required";
    return std::nullopt;
  }
  auto instant = core::parse_rfc3339(*text);
  if (!instant) problems[name] = "must be an RFC 3339 time, e.g. 2027-03-31T22:00:00Z";
  return instant;
}

}  // namespace

Json call_json(const app::CallRecord& k) {
  auto optional_cents = [](const std::optional<core::Cents>& value) {
    return value ? Json(*value) : Json(nullptr);
  };
  return Json{{"id", k.id},
              {"org_id", k.org_id},
              {"org_name", k.org_name},
              {"title", k.title},
              {"description_md", k.description_md},
              {"pool_cents", k.terms.pool_cents},
              {"match_ratio_pct", k.terms.match_ratio_pct},
              {"cap_per_pledge_cents", optional_cents(k.terms.cap_per_pledge_cents)},
              {"cap_per_campaign_cents", k.terms.cap_per_campaign_cents},
              {"cap_per_backer_cents", optional_cents(k.terms.cap_per_backer_cents)},
              {"opens_at", core::format_rfc3339(k.terms.opens_at)},
              {"closes_at", core::format_rfc3339(k.terms.closes_at)},
              {"regions", k.regions},
              {"categories", k.categories},
              {"legal_forms", legal_form_words(k.legal_forms)},
              {"committed_cents", k.committed_cents},
              {"remaining_cents", k.terms.pool_cents - k.committed_cents},
              {"created_at", core::format_rfc3339(k.created_at)}};
}

Json application_json(const app::ApplicationRecord& a) {
  return Json{{"call_id", a.call_id},
              {"campaign_id", a.campaign_id},
              {"campaign_title", a.campaign_title},
              {"org_name", a.org_name},
              {"status", core::to_string(a.status)},
              {"matched_cents", a.matched_cents},
              {"applied_at", core::format_rfc3339(a.applied_at)},
              {"decided_at", a.decided_at ? Json(core::format_rfc3339(*a.decided_at)) : Json()}};
}

Json territory_json(const app::TerritoryLine& line) {
  auto parts = [](const std::map<std::string, app::TerritoryLine::Part>& by) {
    Json out = Json::object();
    for (const auto& [key, part] : by) {
      out[key] = {{"campaigns", part.campaigns},
                  {"raised_cents", part.raised_cents},
                  {"matched_cents", part.matched_cents}};
    }
    return out;
  };
  return Json{{"code", line.code},
              {"name", line.name},
              {"campaigns", line.campaigns},
              {"succeeded", line.succeeded},
              {"raised_cents", line.raised_cents},
              {"matched_cents", line.matched_cents},
              // Citizens' euros per public euro: none without public money.
              {"leverage", line.matched_cents > 0 ? Json(static_cast<double>(line.raised_cents) /
                                                         static_cast<double>(line.matched_cents))
                                                  : Json(nullptr)},
              {"backers", line.backers},
              {"organisations", line.organisations},
              {"by_category", parts(line.by_category)},
              {"by_legal_form", parts(line.by_legal_form)}};
}

core::Result<TerritoryQuery> territory_query(const Request& request, core::TimestampMs now) {
  TerritoryQuery out{app::TerritoryLevel::region, core::paris_time(now).year};
  const auto query = request.query_params();
  std::map<std::string, std::string> problems;
  if (auto it = query.find("level"); it != query.end()) {
    if (it->second == "department")
      out.level = app::TerritoryLevel::department;
    else if (it->second != "region")
      problems["level"] = "must be region or department";
  }
  if (auto it = query.find("year"); it != query.end()) {
    const std::string& text = it->second;
    std::int64_t year = 0;
    bool digits = text.size() == 4;
    for (char c : text) {
      digits = digits && c >= '0' && c <= '9';
      year = year * 10 + (c - '0');
    }
    if (!digits || year < 2000 || year > 2100)
      problems["year"] = "must be a year from 2000 to 2100";
    else
      out.year = year;
  }
  if (!problems.empty()) return core::Error::validation(std::move(problems));
  return out;
}

std::string territories_csv(const std::vector<app::TerritoryLine>& lines, std::int64_t year) {
  std::string out =
      csv_row({"annee", "code", "nom", "collectes", "reussies", "collecte_citoyenne_eur",
               "abondement_eur", "effet_levier", "contributeurs", "organisations"});
  for (const auto& line : lines) {
    out += csv_row({std::to_string(year), line.code, line.name, std::to_string(line.campaigns),
                    std::to_string(line.succeeded), core::format_decimal(line.raised_cents),
                    core::format_decimal(line.matched_cents),
                    line.matched_cents > 0
                        ? core::format_hundredths(line.raised_cents * 100 / line.matched_cents)
                        : std::string(),
                    std::to_string(line.backers), std::to_string(line.organisations)});
  }
  return out;
}

void add_call_routes(Router& router, Services& services) {
  add_api(
      router, services, "POST", "/api/v1/orgs/{id}/calls",
      [&services](Request& request, const app::Principal& who) {
        auto body = parse_json_object(request);
        if (!body) return error_response(body.error());
        std::map<std::string, std::string> problems;
        core::CallInput input;
        input.title = required_string(*body, "title", problems).value_or("");
        input.description_md = string_field(*body, "description_md", problems).value.value_or("");
        auto required_int = [&](const char* name) -> std::int64_t {
          auto value = int_field(*body, name, problems);
          if (!value && !problems.count(name)) problems[name] = "required";
          return value.value_or(0);
        };
        input.terms.pool_cents = core::Cents{required_int("pool_cents")};
        input.terms.match_ratio_pct = required_int("match_ratio_pct");
        input.terms.cap_per_campaign_cents = core::Cents{required_int("cap_per_campaign_cents")};
        input.terms.cap_per_pledge_cents = cents_field(*body, "cap_per_pledge_cents", problems);
        input.terms.cap_per_backer_cents = cents_field(*body, "cap_per_backer_cents", problems);
        input.terms.opens_at = instant_field(*body, "opens_at", problems).value_or(0);
        input.terms.closes_at = instant_field(*body, "closes_at", problems).value_or(0);
        input.regions = word_list(*body, "regions", problems);
        input.categories = word_list(*body, "categories", problems);
        input.legal_forms = word_list(*body, "legal_forms", problems);
        // Unreadable fields are told after authorisation: the use case judges
        // the rest with them.
        auto call = services.calls.open(who, request.id<core::OrgId>(), input, problems);
        if (!call) return error_response(call.error());
        return json_response(201, Json{{"call", call_json(*call)}});
      });

  router.add("GET", "/api/v1/calls", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto calls = services.calls.list(page->limit + 1, page->offset);
    const auto next = trim_to_page(calls, *page);
    Json items = Json::array();
    for (const auto& call : calls) items.push_back(call_json(call));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/calls/{id}", [&services](Request& request) {
    const auto who = optional_bearer(services, request).value_or(app::Principal{});
    auto view = services.calls.get(who, request.params["id"]);
    if (!view) return error_response(view.error());
    Json applications = Json::array();
    for (const auto& a : view->applications) applications.push_back(application_json(a));
    Json call = call_json(view->call);
    call["applications"] = applications;
    return json_response(200, Json{{"call", call}});
  });

  add_api(router, services, "POST", "/api/v1/calls/{id}/applications",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto campaign_id = required_string(*body, "campaign_id", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto application =
                services.calls.apply(who, request.params["id"], core::CampaignId{*campaign_id});
            if (!application) return error_response(application.error());
            return json_response(201, Json{{"application", application_json(*application)}});
          });

  add_api(router, services, "POST", "/api/v1/calls/{id}/applications/{campaign_id}/decision",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto accepted = bool_field(*body, "accepted", problems);
            if (!accepted && !problems.count("accepted")) problems["accepted"] = "required";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto application = services.calls.decide(
                who, request.params["id"], request.id<core::CampaignId>("campaign_id"), *accepted);
            if (!application) return error_response(application.error());
            return json_response(200, Json{{"application", application_json(*application)}});
          });

  // Territorial open data, under the Licence Ouverte / Etalab 2.0.
  auto territories = [&services](Request& request, const char* format) {
    auto query = territory_query(request, services.clock.now());
    if (!query) return error_response(query.error());
    auto lines = services.calls.territories(query->level, query->year);
    if (!lines) return error_response(lines.error());
    Response response;
    if (std::string_view(format) == "csv") {
      response = csv_response(
          territories_csv(*lines, query->year),
          std::string("essor-territoires-") +
              (query->level == app::TerritoryLevel::region ? "regions" : "departements") + "-" +
              std::to_string(query->year) + ".csv");
    } else {
      Json items = Json::array();
      for (const auto& line : *lines) items.push_back(territory_json(line));
      response = json_response(200, Json{{"items", items},
                                         {"year", query->year},
                                         {"licence", kEtalabLicence},
                                         {"licence_url", kEtalabLicenceUrl}});
    }
    response.header("Link", std::string("<") + kEtalabLicenceUrl + ">; rel=\"license\"");
    response.header("X-License", kEtalabLicence);
    response.header("Access-Control-Allow-Origin", "*");
    return response;
  };
  router.add("GET", "/api/v1/data/territories",
             [territories](Request& request) { return territories(request, "json"); });
  router.add("GET", "/data/territories",
             [territories](Request& request) { return territories(request, "json"); });
  router.add("GET", "/data/territories.json",
             [territories](Request& request) { return territories(request, "json"); });
  router.add("GET", "/data/territories.csv",
             [territories](Request& request) { return territories(request, "csv"); });
}

}  // namespace essor::web
