// Participatory budgets: the JSON API (docs/api.md) and the pages: the
// organisation's budgets, the form that opens one, the ballot, and the
// results of both allocations with the reason for each project.
#include "app/policy.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/validation.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/markdown.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

std::string reason_code(core::BudgetReason reason) {
  switch (reason) {
    case core::BudgetReason::funded:
      return "funded";
    case core::BudgetReason::too_expensive_left:
      return "too_expensive_left";
    case core::BudgetReason::supporters_ran_short:
      return "supporters_ran_short";
    case core::BudgetReason::no_votes:
      break;
  }
  return "no_votes";
}

Json budget_json(const app::BudgetRecord& b) {
  Json projects = Json::array();
  for (const auto& p : b.projects) {
    projects.push_back(Json{{"id", p.id},
                            {"title", p.title},
                            {"description", p.description},
                            {"cost_cents", p.cost_cents},
                            {"campaign_id", p.campaign_id ? Json(*p.campaign_id) : Json()}});
  }
  return Json{{"id", b.id},
              {"org_id", b.org_id},
              {"title", b.title},
              {"description", b.description},
              {"envelope_cents", b.envelope_cents},
              {"status", core::to_string(b.status)},
              {"closes_at", core::format_rfc3339(b.closes_at)},
              {"closed_at", b.closed_at ? Json(core::format_rfc3339(*b.closed_at)) : Json()},
              {"projects", projects}};
}

Json decision_json(const core::BudgetDecision& d) {
  return Json{{"funded", d.funded},
              {"reason", reason_code(d.reason)},
              {"round", d.round},
              {"share_cents", d.share_cents},
              {"available_cents", d.available_cents}};
}

// Why a project was funded or not, in the reader's language.
std::string explain(const std::string& lang, const core::BudgetDecision& d, core::Cents cost,
                    bool equal_shares) {
  const auto eur = [&](core::Cents c) { return core::format_eur(c, lang); };
  switch (d.reason) {
    case core::BudgetReason::funded:
      return equal_shares
                 ? translate(lang, "budget_mes_funded") + " " + std::to_string(d.round) + " · " +
                       translate(lang, "budget_mes_share") + " " + eur(d.share_cents)
                 : translate(lang, "budget_greedy_funded") + " " + std::to_string(d.round);
    case core::BudgetReason::too_expensive_left:
      return translate(lang, "budget_greedy_too_expensive") + " " + eur(d.available_cents) + " · " +
             translate(lang, "budget_cost") + " " + eur(cost);
    case core::BudgetReason::supporters_ran_short:
      return translate(lang, "budget_mes_short") + " " + eur(d.available_cents) + " · " +
             translate(lang, "budget_cost") + " " + eur(cost);
    case core::BudgetReason::no_votes:
      break;
  }
  return translate(lang, "budget_no_votes");
}

core::Result<app::BudgetInput> budget_from_form(const Form& form) {
  std::map<std::string, std::string> problems;
  app::BudgetInput input;
  input.title = field(form, "title");
  input.description = field(form, "description");
  if (auto envelope = core::parse_eur(field(form, "envelope")))
    input.envelope_cents = *envelope;
  else
    problems["envelope_cents"] = "not an amount";
  if (auto at = date_time_field(form, "closes_on", "closes_time"))
    input.closes_at = *at;
  else
    problems[date_time_blame(form, "closes_on", "closes_time", "closes_at")] =
        "not a date and time";
  // One project per line: "title ; cost in euros".
  int line_number = 0;
  for (const auto& line : lines_of(field(form, "projects"))) {
    ++line_number;
    const auto sep = line.rfind(';');
    const auto cost =
        sep == std::string::npos ? std::nullopt : core::parse_eur(line.substr(sep + 1));
    if (!cost) {
      problems["projects"] = "line " + std::to_string(line_number) + ": write “title ; cost”";
      continue;
    }
    input.projects.push_back({core::trim(line.substr(0, sep)), "", *cost, std::nullopt});
  }
  if (!problems.empty()) return core::Error::validation(std::move(problems));
  return input;
}

}  // namespace

void add_budget_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/orgs/{id}/budgets",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::BudgetInput input;
            input.title = string_field(*body, "title", problems).value.value_or("");
            input.description = string_field(*body, "description", problems).value.value_or("");
            if (auto envelope = cents_field(*body, "envelope_cents", problems))
              input.envelope_cents = *envelope;
            else if (!problems.count("envelope_cents"))
              problems["envelope_cents"] = "required";
            if (auto closes = string_field(*body, "closes_at", problems).value) {
              if (auto at = core::parse_rfc3339(*closes))
                input.closes_at = *at;
              else
                problems["closes_at"] = "must be an RFC 3339 time";
            }
            const auto it = body->find("projects");
            if (it == body->end() || !it->is_array()) {
              problems["projects"] =
                  "required: a list of {title, cost_cents, description?, campaign_id?}";
            } else {
              for (std::size_t idx = 0; idx < it->size(); ++idx) {
                const Json& item = (*it)[idx];
                const std::string prefix = "projects[" + std::to_string(idx) + "].";
                if (!item.is_object() || !item.contains("cost_cents") ||
                    !item["cost_cents"].is_number_integer()) {
                  problems[prefix + "cost_cents"] = "required, an integer";
                  continue;
                }
                std::map<std::string, std::string> inner;
                app::BudgetProjectInput project;
                project.title = string_field(item, "title", inner).value.value_or("");
                project.description = string_field(item, "description", inner).value.value_or("");
                project.campaign_id = core::optional_id<core::CampaignId>(
                    string_field(item, "campaign_id", inner).value);
                project.cost_cents = core::Cents{item["cost_cents"].get<std::int64_t>()};
                for (auto& [name, problem] : inner) problems[prefix + name] = problem;
                input.projects.push_back(std::move(project));
              }
            }
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto created = services.budgets.create(who, request.id<core::OrgId>(), input);
            if (!created) return error_response(created.error());
            return json_response(201, Json{{"budget", budget_json(*created)}});
          });

  add_api(
      router, services, "POST", "/api/v1/budgets/{id}/votes",
      [&services](Request& request, const app::Principal& who) {
        auto body = parse_json_object(request);
        if (!body) return error_response(body.error());
        const auto it = body->find("approve");
        std::vector<std::string> ids;
        if (it == body->end() || !it->is_array())
          return error_response(core::Error::validation({{"approve", "a list of project ids"}}));
        for (const auto& id : *it) {
          if (!id.is_string())
            return error_response(core::Error::validation({{"approve", "a list of project ids"}}));
          ids.push_back(id.get<std::string>());
        }
        auto voted = services.budgets.vote(who, request.params["id"], ids);
        if (!voted) return error_response(voted.error());
        return json_response(200, Json{{"budget", budget_json(*voted)}, {"voted", true}});
      });

  add_api(router, services, "POST", "/api/v1/budgets/{id}/close",
          [&services](Request& request, const app::Principal& who) {
            auto closed = services.budgets.close(who, request.params["id"]);
            if (!closed) return error_response(closed.error());
            return json_response(200, Json{{"budget", budget_json(*closed)}});
          });

  add_api(
      router, services, "GET", "/api/v1/budgets/{id}",
      [&services](Request& request, const app::Principal& who) {
        auto r = services.budgets.results(who, request.params["id"]);
        if (!r) return error_response(r.error());
        Json projects = Json::array();
        for (std::size_t idx = 0; idx < r->budget.projects.size(); ++idx) {
          projects.push_back(Json{{"id", r->budget.projects[idx].id},
                                  {"votes", r->votes[idx]},
                                  {"greedy", decision_json(r->greedy.decisions[idx])},
                                  {"equal_shares", decision_json(r->equal_shares.decisions[idx])}});
        }
        return json_response(200, Json{{"budget", budget_json(r->budget)},
                                       {"voters", r->voters},
                                       {"results", projects},
                                       {"greedy_spent_cents", r->greedy.spent_cents},
                                       {"equal_shares_spent_cents", r->equal_shares.spent_cents}});
      });
}

void add_budget_pages(Router& router, Services& services) {
  router.add("GET", "/orgs/{id}/budgets/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    if (!app::governance_allows(*context.user, services.orgs.role_of(context.user->user_id, org_id),
                                app::GovernanceAction::open_budget))
      return render_error_page(services, request, 403);
    return render_page(services, context, "budget_new",
                       Json{{"org", {{"id", org_id}}}, {"values", {{"closes_time", "18:00"}}}},
                       "budget_new_title");
  });

  add_page_form(router, services, "/orgs/{id}/budgets/new",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const core::OrgId org_id = request.id<core::OrgId>();
                  auto input = budget_from_form(form);
                  auto created = input ? services.budgets.create(*context.user, org_id, *input)
                                       : core::Result<app::BudgetRecord>(input.error());
                  if (!created) {
                    if (created.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(created.error().kind));
                    Json values = form;
                    values.erase("_csrf");
                    return render_page(services, context, "budget_new",
                                       Json{{"org", {{"id", org_id}}},
                                            {"values", values},
                                            {"errors", errors_json(context.lang, created.error())}},
                                       "budget_new_title", 400);
                  }
                  return redirect_response("/budgets/" + created->id + "?done=created");
                });

  router.add("GET", "/budgets/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto r = services.budgets.results(*context.user, request.params["id"]);
    if (!r) return render_error_page(services, request, status_of(r.error().kind));
    const auto& lang = context.lang;
    const auto& b = r->budget;
    Json projects = Json::array();
    for (std::size_t idx = 0; idx < b.projects.size(); ++idx) {
      const auto& p = b.projects[idx];
      const bool mine =
          std::find(r->my_approvals.begin(), r->my_approvals.end(), p.id) != r->my_approvals.end();
      projects.push_back(
          Json{{"id", p.id},
               {"title", p.title},
               {"cost_text", core::format_eur(p.cost_cents, lang)},
               {"campaign_id", p.campaign_id ? Json(*p.campaign_id) : Json(false)},
               {"votes", r->votes[idx]},
               {"approved", mine},
               {"greedy_funded", r->greedy.decisions[idx].funded},
               {"greedy_text", explain(lang, r->greedy.decisions[idx], p.cost_cents, false)},
               {"mes_funded", r->equal_shares.decisions[idx].funded},
               {"mes_text", explain(lang, r->equal_shares.decisions[idx], p.cost_cents, true)}});
    }
    std::vector<std::pair<std::string, std::int64_t>> bars;
    for (std::size_t idx = 0; idx < b.projects.size(); ++idx)
      bars.emplace_back(b.projects[idx].title, r->votes[idx]);
    const auto role = services.orgs.role_of(context.user->user_id, b.org_id);
    Json data = {
        {"chart_svg", bar_chart(bars)},
        {"budget",
         {{"id", b.id},
          {"title", b.title},
          {"envelope_text", core::format_eur(b.envelope_cents, lang)},
          {"closes_on", when_json(lang, b.closes_at)},
          {"status_label", translate(lang, "proposal_" + core::to_string(b.status))}}},
        {"title", b.title},
        {"description_html", markdown_to_html(b.description)},
        {"org", {{"id", b.org_id}}},
        {"projects", projects},
        {"voters", r->voters},
        {"greedy_spent", core::format_eur(r->greedy.spent_cents, lang)},
        {"mes_spent", core::format_eur(r->equal_shares.spent_cents, lang)},
        {"can_vote", b.status == core::BudgetStatus::open && b.closes_at > services.clock.now()},
        {"can_close",
         b.status == core::BudgetStatus::open &&
             app::governance_allows(*context.user, role, app::GovernanceAction::close_vote)},
        {"is_closed", b.status == core::BudgetStatus::closed}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, lang, "notice_budget_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "budget", data, "");
  });

  add_page_form(router, services, "/budgets/{id}/vote",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  auto r = services.budgets.results(*context.user, id);
                  if (!r) return render_error_page(services, request, status_of(r.error().kind));
                  std::vector<std::string> ids;
                  for (const auto& p : r->budget.projects) {
                    if (field(form, "approve_" + p.id) == "on") ids.push_back(p.id);
                  }
                  auto voted = services.budgets.vote(*context.user, id, ids);
                  if (!voted)
                    return render_error_page(services, request, status_of(voted.error().kind));
                  return redirect_response("/budgets/" + id + "?done=voted");
                });

  add_page_form(
      router, services, "/budgets/{id}/close",
      [&services](Request& request, PageContext& context, const Form& form) {
        if (auto ask = confirmation_first(services, context, request, form, "confirm_budget_close",
                                          "/budgets/" + request.params["id"]))
          return *ask;
        auto closed = services.budgets.close(*context.user, request.params["id"]);
        if (!closed) return render_error_page(services, request, status_of(closed.error().kind));
        return redirect_response("/budgets/" + closed->id + "?done=closed");
      });
}

}  // namespace essor::web
