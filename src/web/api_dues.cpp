// JSON API, spec "Memberships (adhésions)".
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/routes.hpp"

namespace essor::web {

Json plan_json(const app::MembershipPlanRecord& plan) {
  return Json{{"id", plan.id},
              {"org_id", plan.org_id},
              {"name", plan.name},
              {"amount_cents", plan.amount_cents},
              {"free_amount", plan.free_amount},
              {"min_amount_cents", plan.min_amount_cents},
              {"period", core::to_string(plan.period)},
              {"voting", plan.voting},
              {"created_at", core::format_rfc3339(plan.created_at)}};
}

Json membership_json(const app::MembershipRecord& m) {
  return Json{{"id", m.id},
              {"org_id", m.org_id},
              {"user_id", m.user_id},
              {"plan_id", m.plan_id},
              {"plan_name", m.plan_name},
              {"display_name", m.display_name},
              {"status", core::to_string(m.status)},
              {"starts_on", m.starts_on},
              {"ends_on", m.ends_on},
              {"amount_cents", m.amount_cents},
              {"payment_method", m.payment_method},
              {"reference", m.reference},
              {"created_at", core::format_rfc3339(m.created_at)}};
}

Json membership_answer(const app::MembershipOutcome& outcome) {
  return Json{{"membership", membership_json(outcome.membership)},
              {"payment", payment_block(outcome.transfer, outcome.membership.payment_method,
                                        core::to_string(outcome.membership.status))}};
}

namespace {

std::optional<bool> bool_field(const Json& body, const char* name,
                               std::map<std::string, std::string>& problems) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    problems[name] = "must be true or false";
    return std::nullopt;
  }
  return it->get<bool>();
}

}  // namespace

void add_membership_routes(Router& router, Services& services) {
  router.add("POST", "/api/v1/orgs/{id}/membership-plans", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    app::PlanInput input;
    input.name = required_string(*body, "name", problems).value_or("");
    if (auto amount = int_field(*body, "amount_cents", problems))
      input.amount_cents = *amount;
    else if (!problems.count("amount_cents"))
      problems["amount_cents"] = "required";
    input.free_amount = bool_field(*body, "free_amount", problems).value_or(false);
    input.min_amount_cents = int_field(*body, "min_amount_cents", problems);
    input.period = required_string(*body, "period", problems).value_or("");
    input.voting = bool_field(*body, "voting", problems).value_or(false);
    // Judged after authorisation, with the use case's own problems: a
    // stranger learns nothing of what the body lacks.
    input.unreadable = std::move(problems);
    auto plan = services.memberships.create_plan(*who, request.params["id"], input);
    if (!plan) return error_response(plan.error());
    return json_response(201, Json{{"plan", plan_json(*plan)}});
  });

  router.add("GET", "/api/v1/orgs/{id}/membership-plans", [&services](Request& request) {
    auto plans = services.memberships.plans(request.params["id"]);
    if (!plans) return error_response(plans.error());
    Json items = Json::array();
    for (const auto& plan : *plans) items.push_back(plan_json(plan));
    return json_response(200, list_body(items, std::nullopt));
  });

  router.add("POST", "/api/v1/membership-plans/{id}/subscriptions", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    app::SubscriptionInput input;
    input.amount_cents = int_field(*body, "amount_cents", problems);
    input.payment_method = required_string(*body, "payment_method", problems).value_or("");
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    const Json fingerprint = {
        {"amount_cents", input.amount_cents ? Json(*input.amount_cents) : Json(nullptr)},
        {"payment_method", input.payment_method}};
    const std::string key(request.header("idempotency-key"));
    auto rendered = services.memberships.subscribe(
        *who, request.params["id"], key, fingerprint.dump(), input,
        [](const app::MembershipOutcome& outcome) { return membership_answer(outcome).dump(); });
    if (!rendered) return error_response(rendered.error());
    Response response;
    response.status = rendered->status;
    response.content_type = "application/json";
    response.body = rendered->body;
    response.header("Cache-Control", "no-store");
    return response;
  });

  router.add("GET", "/api/v1/orgs/{id}/memberships", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    std::optional<core::MembershipStatus> status;
    const auto query = request.query_params();
    if (auto it = query.find("status"); it != query.end() && !it->second.empty()) {
      status = core::parse_membership_status(it->second);
      if (!status) {
        return error_response(core::Error::validation(
            {{"status", "must be one of pending, active, expired, cancelled"}}));
      }
    }
    auto rows = services.memberships.register_of(*who, request.params["id"], status,
                                                 page->limit + 1, page->offset);
    if (!rows) return error_response(rows.error());
    std::optional<std::int64_t> next;
    if (static_cast<std::int64_t>(rows->size()) > page->limit) {
      rows->pop_back();
      next = page->offset + page->limit;
    }
    Json items = Json::array();
    for (const auto& row : *rows) items.push_back(membership_json(row));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/me/memberships", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    Json items = Json::array();
    for (const auto& row : services.memberships.mine(*who)) items.push_back(membership_json(row));
    return json_response(200, list_body(items, std::nullopt));
  });

  router.add("GET", "/api/v1/memberships/{id}", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    auto outcome = services.memberships.get(*who, request.params["id"]);
    if (!outcome) return error_response(outcome.error());
    return json_response(200, membership_answer(*outcome));
  });

  router.add("POST", "/api/v1/memberships/{id}/confirm", [&services](Request& request) {
    auto who = require_bearer(services, request);
    if (!who) return error_response(who.error());
    auto outcome = services.memberships.confirm(*who, request.params["id"]);
    if (!outcome) return error_response(outcome.error());
    return json_response(200, membership_answer(*outcome));
  });
}

}  // namespace essor::web
