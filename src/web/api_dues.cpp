// JSON API, spec "Memberships (adhésions)".
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
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
              {"payment_method", core::to_string(m.payment_method)},
              {"reference", m.reference},
              {"created_at", core::format_rfc3339(m.created_at)}};
}

Json membership_answer(const app::MembershipOutcome& outcome) {
  return Json{{"membership", membership_json(outcome.membership)},
              {"payment", payment_block(outcome.transfer, outcome.membership.payment_method,
                                        core::to_string(outcome.membership.status))}};
}

Json gift_json(const app::GiftRecord& g) {
  return Json{{"id", g.id},
              {"org_id", g.org_id},
              {"org_name", g.org_name},
              {"user_id", g.user_id},
              {"amount_cents", g.amount_cents},
              {"interval", core::to_string(g.interval)},
              {"status", core::to_string(g.status)},
              {"payment_method", core::to_string(g.payment_method)},
              {"starts_on", g.starts_on},
              {"next_charge_on", g.next_charge_on},
              {"retry_on", g.retry_on ? Json(*g.retry_on) : Json()},
              {"charges_count", g.charges_count},
              {"created_at", core::format_rfc3339(g.created_at)}};
}

Json receipt_json(const app::TaxReceiptRecord& r) {
  return Json{{"id", r.id},
              {"org_id", r.org_id},
              {"number", r.number},
              {"year", r.year},
              {"amount_cents", r.amount_cents},
              {"gift_cents", r.gift_cents},
              {"kind", core::to_string(r.kind)},
              {"issued_at", core::format_rfc3339(r.issued_at)},
              {"status", core::to_string(r.status)}};
}

Json reconciliation_json(const app::ReconciliationReport& report) {
  Json matched = Json::array(), unmatched = Json::array();
  for (const auto& m : report.matched) {
    Json item = {{"entry_ref", m.entry.entry_ref},
                 {"amount_cents", m.entry.amount_cents},
                 {"already_confirmed", m.already}};
    item[m.payment.kind == app::AnnouncedPayment::Kind::pledge ? "pledge_id" : "membership_id"] =
        m.payment.id;
    matched.push_back(std::move(item));
  }
  for (const auto& u : report.unmatched) {
    unmatched.push_back(Json{{"entry_ref", u.entry.entry_ref},
                             {"amount_cents", u.entry.amount_cents},
                             {"remittance", u.entry.remittance},
                             {"reason", u.reason}});
  }
  return Json{{"matched", matched}, {"unmatched", unmatched}};
}

namespace {

std::optional<std::int64_t> year_of(const std::string& text) {
  if (text.size() != 4) return std::nullopt;
  std::int64_t year = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  return year;
}

}  // namespace

void add_membership_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/orgs/{id}/membership-plans",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::PlanInput input;
            input.name = required_string(*body, "name", problems).value_or("");
            if (auto amount = cents_field(*body, "amount_cents", problems))
              input.amount_cents = *amount;
            else if (!problems.count("amount_cents"))
              problems["amount_cents"] = "required";
            input.free_amount = bool_field(*body, "free_amount", problems).value_or(false);
            input.min_amount_cents = cents_field(*body, "min_amount_cents", problems);
            input.period = required_string(*body, "period", problems).value_or("");
            input.voting = bool_field(*body, "voting", problems).value_or(false);
            // Judged after authorisation, with the use case's own problems: a
            // stranger learns nothing of what the body lacks.
            input.unreadable = std::move(problems);
            auto plan = services.memberships.create_plan(who, request.id<core::OrgId>(), input);
            if (!plan) return error_response(plan.error());
            return json_response(201, Json{{"plan", plan_json(*plan)}});
          });

  router.add("GET", "/api/v1/orgs/{id}/membership-plans", [&services](Request& request) {
    auto plans = services.memberships.plans(request.id<core::OrgId>());
    if (!plans) return error_response(plans.error());
    Json items = Json::array();
    for (const auto& plan : *plans) items.push_back(plan_json(plan));
    return paged_list(request, items);
  });

  router.add("POST", "/api/v1/membership-plans/{id}/subscriptions", [&services](Request& request) {
    const bool has_token = bearer_token(request).has_value();
    auto who = has_token ? require_bearer(services, request)
                         : core::Result<app::Principal>(app::Principal{});
    if (!who) return error_response(who.error());
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    app::SubscriptionInput input;
    if (!has_token) {
      input.guest = guest_field(*body, problems);
      if (!input.guest && problems.empty()) return error_response(core::Error::unauthenticated());
    }
    input.amount_cents = cents_field(*body, "amount_cents", problems);
    input.payment_method = required_string(*body, "payment_method", problems).value_or("");
    input.receipt = receipt_field(*body, problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    const Json fingerprint = {
        {"amount_cents", input.amount_cents ? Json(*input.amount_cents) : Json(nullptr)},
        {"payment_method", input.payment_method},
        {"guest", guest_fingerprint(input.guest)},
        {"receipt", receipt_fingerprint(input.receipt)}};
    const std::string key(request.header("idempotency-key"));
    auto rendered = services.memberships.subscribe(
        *who, request.params["id"], key, fingerprint.dump(), input,
        [](const app::MembershipOutcome& outcome) { return membership_answer(outcome).dump(); });
    if (!rendered) return error_response(rendered.error());
    return stored_answer(*rendered);
  });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/memberships",
          [&services](Request& request, const app::Principal& who) {
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
            auto rows = services.memberships.register_of(who, request.id<core::OrgId>(), status,
                                                         page->limit + 1, page->offset);
            if (!rows) return error_response(rows.error());
            const auto next = trim_to_page(*rows, *page);
            Json items = Json::array();
            for (const auto& row : *rows) items.push_back(membership_json(row));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "GET", "/api/v1/me/memberships",
          [&services](Request& request, const app::Principal& who) {
            Json items = Json::array();
            for (const auto& row : services.memberships.mine(who)) {
              Json item = membership_json(row);
              item["org_name"] = row.org_name;
              items.push_back(std::move(item));
            }
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/memberships/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto outcome = services.memberships.get(who, request.params["id"]);
            if (!outcome) return error_response(outcome.error());
            return json_response(200, membership_answer(*outcome));
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/recurring-gifts",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::GiftInput input;
            if (auto amount = cents_field(*body, "amount_cents", problems))
              input.amount_cents = *amount;
            else if (!problems.count("amount_cents"))
              problems["amount_cents"] = "required";
            input.interval = required_string(*body, "interval", problems).value_or("");
            input.payment_method = required_string(*body, "payment_method", problems).value_or("");
            input.receipt = receipt_field(*body, problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            const Json fingerprint = {
                {"amount_cents", input.amount_cents},
                {"interval", input.interval},
                {"payment_method", input.payment_method},
                {"receipt", input.receipt ? Json{{"full_name", input.receipt->full_name},
                                                 {"address_line", input.receipt->address_line},
                                                 {"postal_code", input.receipt->postal_code},
                                                 {"city", input.receipt->city}}
                                          : Json(nullptr)}};
            auto rendered = services.gifts.create(
                who, request.id<core::OrgId>(), std::string(request.header("idempotency-key")),
                fingerprint.dump(), input, [](const app::GiftRecord& gift) {
                  return Json{{"gift", gift_json(gift)}}.dump();
                });
            if (!rendered) return error_response(rendered.error());
            return stored_answer(*rendered);
          });

  add_api(router, services, "GET", "/api/v1/me/recurring-gifts",
          [&services](Request& request, const app::Principal& who) {
            Json items = Json::array();
            for (const auto& gift : services.gifts.mine(who)) items.push_back(gift_json(gift));
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/recurring-gifts",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto rows = services.gifts.of_org(who, request.id<core::OrgId>(), page->limit + 1,
                                              page->offset);
            if (!rows) return error_response(rows.error());
            const auto next = trim_to_page(*rows, *page);
            Json items = Json::array();
            for (const auto& gift : *rows) items.push_back(gift_json(gift));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "PATCH", "/api/v1/recurring-gifts/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::GiftPatch patch;
            patch.amount_cents = cents_field(*body, "amount_cents", problems);
            patch.status = string_field(*body, "status", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto gift = services.gifts.change(who, request.params["id"], patch);
            if (!gift) return error_response(gift.error());
            return json_response(200, Json{{"gift", gift_json(*gift)}});
          });

  add_api(router, services, "POST", "/api/v1/claims/{token}",
          [&services](Request& request, const app::Principal& who) {
            auto claimed = services.guests.claim(who, request.params["token"]);
            if (!claimed) return error_response(claimed.error());
            return json_response(200, Json{{"claimed", *claimed}});
          });

  add_api(router, services, "GET", "/api/v1/me/receipts",
          [&services](Request& request, const app::Principal& who) {
            Json items = Json::array();
            for (const auto& r : services.receipts.mine(who)) {
              Json item = receipt_json(r);
              item["org_name"] = r.org_name;
              items.push_back(std::move(item));
            }
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/receipts",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            std::optional<std::int64_t> year;
            const auto query = request.query_params();
            if (auto it = query.find("year"); it != query.end() && !it->second.empty()) {
              const auto parsed = year_of(it->second);
              if (!parsed)
                return error_response(core::Error::validation({{"year", "must be a year"}}));
              year = *parsed;
            }
            auto rows = services.receipts.of_org(who, request.id<core::OrgId>(), year,
                                                 page->limit + 1, page->offset);
            if (!rows) return error_response(rows.error());
            const auto next = trim_to_page(*rows, *page);
            Json items = Json::array();
            for (const auto& r : *rows) items.push_back(receipt_json(r));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/receipts/annual",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto year = int_field(*body, "year", problems);
            if (!year && !problems.count("year")) problems["year"] = "required";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto created = services.receipts.annual(who, request.id<core::OrgId>(), *year);
            if (!created) return error_response(created.error());
            return json_response(201, Json{{"created", *created}});
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/bank-statements",
          [&services](Request& request, const app::Principal& who) {
            auto report =
                services.reconciliation.statement(who, request.id<core::OrgId>(), request.body);
            if (!report) return error_response(report.error());
            return json_response(200, reconciliation_json(*report));
          });

  add_api(router, services, "POST", "/api/v1/memberships/{id}/confirm",
          [&services](Request& request, const app::Principal& who) {
            auto outcome = services.memberships.confirm(who, request.params["id"]);
            if (!outcome) return error_response(outcome.error());
            return json_response(200, membership_answer(*outcome));
          });
}

}  // namespace essor::web
