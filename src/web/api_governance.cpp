// JSON API, spec "Governance", plus the additions of docs/api.md (lists,
// participants, revoking a proxy).
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

Json proposal_json(const app::ProposalRecord& p) {
  Json options = Json::array();
  for (const auto& o : p.options) options.push_back(Json{{"id", o.id}, {"name", o.name}});
  return Json{{"id", p.id},
              {"org_id", p.org_id},
              {"title", p.title},
              {"body_md", p.body_md},
              {"method", core::to_string(p.method)},
              {"options", options},
              {"status", core::to_string(p.status)},
              {"closes_at", core::format_rfc3339(p.closes_at)},
              {"quorum_pct", p.quorum_pct},
              {"threshold_pct", p.threshold_pct},
              {"secret", p.secret},
              {"created_at", core::format_rfc3339(p.created_at)},
              {"closed_at", p.closed_at ? Json(core::format_rfc3339(*p.closed_at)) : Json()}};
}

app::ProposalInput proposal_input(const Json& body, std::map<std::string, std::string>& problems) {
  app::ProposalInput input;
  input.method = string_field(body, "method", problems).value.value_or("");
  if (auto it = body.find("options"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      problems["options"] = "must be a list of names";
    } else {
      for (const auto& name : *it) {
        if (!name.is_string()) {
          problems["options"] = "must be a list of names";
          break;
        }
        input.options.push_back(name.get<std::string>());
      }
    }
  }
  const auto closes = string_field(body, "closes_at", problems).value;
  if (closes) {
    if (auto at = core::parse_rfc3339(*closes))
      input.closes_at = *at;
    else
      problems["closes_at"] = "must be an RFC 3339 time, e.g. 2027-03-31T18:00:00Z";
  } else if (!problems.count("closes_at")) {
    problems["closes_at"] = "required";
  }
  input.quorum_pct = int_field(body, "quorum_pct", problems);
  input.threshold_pct = int_field(body, "threshold_pct", problems);
  if (auto it = body.find("secret"); it != body.end() && !it->is_null()) {
    if (it->is_boolean())
      input.secret = it->get<bool>();
    else
      problems["secret"] = "must be true or false";
  }
  return input;
}

namespace {

Response proposal_response(int status, const core::Result<app::ProposalRecord>& proposal) {
  if (!proposal) return error_response(proposal.error());
  return json_response(status, Json{{"proposal", proposal_json(*proposal)}});
}

Json results_json(const app::ProposalResults& r) {
  if (r.withheld) {
    return Json{{"status", core::to_string(r.proposal.status)},
                {"voters", r.voters},
                {"eligible", r.eligible},
                {"quorum_reached", r.quorum_reached},
                {"outcome", nullptr},
                {"tally", nullptr},
                {"withheld", "too_few_ballots"}};
  }
  Json tally;
  const auto& method = r.proposal.method;
  if (method == core::VoteMethod::majority) {
    tally = {{"yes", r.majority.yes}, {"no", r.majority.no}, {"abstain", r.majority.abstain}};
  } else if (method == core::VoteMethod::consent) {
    tally = {
        {"consent", r.consent.consent}, {"object", r.consent.object}, {"objections", r.objections}};
  } else {
    tally = Json::array();
    for (const auto& o : r.options) {
      Json item = {{"option", {{"id", o.option.id}, {"name", o.option.name}}}, {"rank", o.rank}};
      if (method == core::VoteMethod::approval) {
        item["approvals"] = o.approvals;
      } else {
        Json profile = Json::object();
        for (int grade = 0; grade < core::kGrades; ++grade)
          profile[core::kGradeNames[grade]] = o.profile[static_cast<std::size_t>(grade)];
        item["grades"] = profile;
        item["majority_grade"] =
            o.majority_grade >= 0 ? Json(core::kGradeNames[o.majority_grade]) : Json();
      }
      tally.push_back(item);
    }
  }
  Json outcome;
  if (r.outcome == "passed" || r.outcome == "rejected") {
    outcome = r.outcome;
  } else if (!r.outcome.empty()) {
    for (const auto& o : r.options) {
      if (o.option.id == r.outcome) outcome = {{"id", o.option.id}, {"name", o.option.name}};
    }
  }
  return Json{{"status", core::to_string(r.proposal.status)},
              {"voters", r.voters},
              {"eligible", r.eligible},
              {"quorum_reached", r.quorum_reached},
              {"outcome", outcome},
              {"tally", tally}};
}

Json assembly_json(const app::AssemblyRecord& a) {
  return Json{{"id", a.id},
              {"org_id", a.org_id},
              {"title", a.title},
              {"place", a.place},
              {"held_at", core::format_rfc3339(a.held_at)},
              {"quorum_pct", a.quorum_pct},
              {"chair_user_id", a.chair_user_id ? Json(*a.chair_user_id) : Json()},
              {"secretary_user_id", a.secretary_user_id ? Json(*a.secretary_user_id) : Json()}};
}

Response assembly_response(int status, const core::Result<app::AssemblyView>& view) {
  if (!view) return error_response(view.error());
  Json agenda = Json::array();
  for (const auto& item : view->agenda) {
    Json entry = {{"proposal", proposal_json(item.proposal)}};
    entry["results"] = item.results ? results_json(*item.results) : Json();
    agenda.push_back(entry);
  }
  Json attendance = Json::array();
  for (const auto& a : view->members) {
    attendance.push_back(
        Json{{"user_id", a.user_id},
             {"display_name", a.display_name},
             {"mode", core::to_string(a.mode)},
             {"represented_by", a.represented_by ? Json(*a.represented_by) : Json()}});
  }
  return json_response(status, Json{{"assembly", assembly_json(view->assembly)},
                                    {"agenda", agenda},
                                    {"attendance", attendance},
                                    {"members", view->members.size()},
                                    {"present", view->present},
                                    {"represented", view->represented},
                                    {"quorum_reached", view->quorum_reached}});
}

}  // namespace

void add_governance_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/orgs/{id}/assemblies",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::AssemblyInput input;
            input.title = string_field(*body, "title", problems).value.value_or("");
            input.place = string_field(*body, "place", problems).value.value_or("");
            if (auto held = string_field(*body, "held_at", problems).value) {
              if (auto at = core::parse_rfc3339(*held))
                input.held_at = *at;
              else
                problems["held_at"] = "must be an RFC 3339 time";
            }
            input.quorum_pct = int_field(*body, "quorum_pct", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto created = services.assemblies.create(who, request.id<core::OrgId>(), input);
            if (!created) return error_response(created.error());
            return json_response(201, Json{{"assembly", assembly_json(*created)}});
          });

  add_api(router, services, "GET", "/api/v1/assemblies/{id}",
          [&services](Request& request, const app::Principal& who) {
            return assembly_response(200, services.assemblies.get(who, request.params["id"]));
          });

  add_api(router, services, "POST", "/api/v1/assemblies/{id}/agenda",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto proposal = string_field(*body, "proposal_id", problems).value;
            if (!proposal && !problems.count("proposal_id")) problems["proposal_id"] = "required";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return assembly_response(200,
                                     services.assemblies.add_item(who, request.params["id"],
                                                                  core::ProposalId{*proposal}));
          });

  add_api(router, services, "PUT", "/api/v1/assemblies/{id}/attendance",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto user = string_field(*body, "user_id", problems).value;
            const auto mode = string_field(*body, "mode", problems).value;
            const auto by = string_field(*body, "represented_by", problems).value;
            if (!user && !problems.count("user_id")) problems["user_id"] = "required";
            if (!mode && !problems.count("mode")) problems["mode"] = "required";
            const auto attendance = mode ? core::parse_attendance(*mode) : std::nullopt;
            if (mode && !attendance) problems["mode"] = "must be present, represented or absent";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return assembly_response(200, services.assemblies.set_attendance(
                                              who, request.params["id"], core::UserId{*user},
                                              *attendance, core::optional_id<core::UserId>(by)));
          });

  add_api(router, services, "PUT", "/api/v1/assemblies/{id}/officers",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto chair = string_field(*body, "chair_user_id", problems).value;
            const auto secretary = string_field(*body, "secretary_user_id", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return assembly_response(
                200, services.assemblies.set_officers(who, request.params["id"],
                                                      core::optional_id<core::UserId>(chair),
                                                      core::optional_id<core::UserId>(secretary)));
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/proposals",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::ProposalInput input = proposal_input(*body, problems);
            input.title = string_field(*body, "title", problems).value.value_or("");
            input.body_md = string_field(*body, "body_md", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return proposal_response(
                201, services.governance.create(who, request.id<core::OrgId>(), input));
          });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/proposals",
          [&services](Request& request, const app::Principal& who) {
            const auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto list = services.governance.of_org(who, request.id<core::OrgId>(), page->limit + 1,
                                                   page->offset);
            if (!list) return error_response(list.error());
            const auto next = trim_to_page(*list, *page);
            Json items = Json::array();
            for (const auto& p : *list) items.push_back(proposal_json(p));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "GET", "/api/v1/proposals/{id}",
          [&services](Request& request, const app::Principal& who) {
            return proposal_response(200,
                                     services.governance.get(who, request.id<core::ProposalId>()));
          });

  add_api(router, services, "POST", "/api/v1/proposals/{id}/votes",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::VoteInput input;
            input.choice = string_field(*body, "choice", problems).value.value_or("");
            input.reason = string_field(*body, "reason", problems).value.value_or("");
            if (auto it = body->find("grades"); it != body->end() && !it->is_null()) {
              if (!it->is_object()) {
                problems["grades"] = "must map option ids to grades";
              } else {
                for (auto g = it->begin(); g != it->end(); ++g) {
                  if (!g.value().is_string()) {
                    problems["grades." + g.key()] = "must be a grade name";
                    continue;
                  }
                  input.grades[g.key()] = g.value().get<std::string>();
                }
              }
            }
            if (auto it = body->find("approve"); it != body->end() && !it->is_null()) {
              if (!it->is_array()) {
                problems["approve"] = "must be a list of option ids";
              } else {
                for (const auto& id : *it) {
                  if (!id.is_string()) {
                    problems["approve"] = "must be a list of option ids";
                    break;
                  }
                  input.approve.push_back(id.get<std::string>());
                }
              }
            }
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto voted = services.governance.vote(who, request.id<core::ProposalId>(), input);
            if (!voted) return error_response(voted.error());
            return json_response(200, Json{{"proposal", proposal_json(*voted)}, {"voted", true}});
          });

  add_api(router, services, "POST", "/api/v1/proposals/{id}/close",
          [&services](Request& request, const app::Principal& who) {
            return proposal_response(
                200, services.governance.close(who, request.id<core::ProposalId>()));
          });

  add_api(router, services, "GET", "/api/v1/proposals/{id}/results",
          [&services](Request& request, const app::Principal& who) {
            auto results = services.governance.results(who, request.id<core::ProposalId>());
            if (!results) return error_response(results.error());
            return json_response(200, results_json(*results));
          });

  add_api(router, services, "GET", "/api/v1/proposals/{id}/participants",
          [&services](Request& request, const app::Principal& who) {
            auto list = services.governance.participants(who, request.id<core::ProposalId>());
            if (!list) return error_response(list.error());
            Json items = Json::array();
            for (const auto& p : *list) {
              items.push_back(Json{{"user_id", p.user_id},
                                   {"display_name", p.display_name},
                                   {"by_proxy", p.via_user_id ? Json(*p.via_user_id) : Json()}});
            }
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/proposals/{id}/comments",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto list = services.governance.comments(who, request.id<core::ProposalId>(),
                                                     page->limit + 1, page->offset);
            if (!list) return error_response(list.error());
            const auto next = trim_to_page(*list, *page);
            Json items = Json::array();
            for (const auto& c : *list) {
              items.push_back(Json{{"id", c.id},
                                   {"user_id", c.user_id},
                                   {"display_name", c.display_name},
                                   {"body", c.body},
                                   {"created_at", core::format_rfc3339(c.created_at)}});
            }
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "POST", "/api/v1/proposals/{id}/comments",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto text = string_field(*body, "body", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto c =
                services.governance.comment(who, request.id<core::ProposalId>(), text.value_or(""));
            if (!c) return error_response(c.error());
            return json_response(201,
                                 Json{{"comment",
                                       {{"id", c->id},
                                        {"user_id", c->user_id},
                                        {"display_name", c->display_name},
                                        {"body", c->body},
                                        {"created_at", core::format_rfc3339(c->created_at)}}}});
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/proxies",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto to = string_field(*body, "to_user_id", problems).value;
            if (!to && !problems.count("to_user_id")) problems["to_user_id"] = "required";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto proxy =
                services.governance.give_proxy(who, request.id<core::OrgId>(), core::UserId{*to});
            if (!proxy) return error_response(proxy.error());
            return json_response(201,
                                 Json{{"proxy",
                                       {{"org_id", request.params["id"]},
                                        {"from_user_id", proxy->from_user_id},
                                        {"to_user_id", proxy->to_user_id},
                                        {"created_at", core::format_rfc3339(proxy->created_at)}}}});
          });

  add_api(router, services, "DELETE", "/api/v1/orgs/{id}/proxies",
          [&services](Request& request, const app::Principal& who) {
            auto done = services.governance.revoke_proxy(who, request.id<core::OrgId>());
            if (!done) return error_response(done.error());
            return no_content();
          });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/proxies",
          [&services](Request& request, const app::Principal& who) {
            auto list = services.governance.proxies(who, request.id<core::OrgId>());
            if (!list) return error_response(list.error());
            Json items = Json::array();
            for (const auto& p : *list) {
              items.push_back(Json{{"from_user_id", p.from_user_id},
                                   {"to_user_id", p.to_user_id},
                                   {"created_at", core::format_rfc3339(p.created_at)}});
            }
            return paged_list(request, items);
          });
}

}  // namespace essor::web
