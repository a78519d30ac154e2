// JSON API, spec "Loans", plus the additions of docs/api.md: a loan's
// repayments, the lender's balance and withdrawals.
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

Json installment_json(const core::Installment& item) {
  return Json{{"number", item.number},
              {"due_date", core::format_date(item.due)},
              {"principal_cents", item.principal_cents},
              {"interest_cents", item.interest_cents},
              {"total_cents", item.total_cents}};
}

Json repayment_json(const app::RepaymentRecord& r) {
  Json allocations = Json::array();
  for (const auto& a : r.allocations) {
    allocations.push_back(Json{{"user_id", a.user_id},
                               {"principal_cents", a.principal_cents},
                               {"interest_cents", a.interest_cents}});
  }
  Json out = {{"id", r.id},
              {"campaign_id", r.campaign_id},
              {"amount_cents", r.amount_cents},
              {"principal_cents", r.principal_cents},
              {"interest_cents", r.interest_cents},
              {"status", core::to_string(r.status)},
              {"created_at", core::format_rfc3339(r.created_at)}};
  if (!r.allocations.empty()) out["allocations"] = allocations;
  return out;
}

Json withdrawal_json(const app::WithdrawalRecord& w) {
  return Json{{"id", w.id},
              {"user_id", w.user_id},
              {"amount_cents", w.amount_cents},
              {"iban", w.iban},
              {"status", core::to_string(w.status)},
              {"created_at", core::format_rfc3339(w.created_at)},
              {"executed_at", w.executed_at ? Json(core::format_rfc3339(*w.executed_at)) : Json()}};
}

// amount_cents: a required integer.
std::optional<core::Cents> amount_field(const Json& body,
                                        std::map<std::string, std::string>& problems) {
  auto amount = cents_field(body, "amount_cents", problems);
  if (!amount && !problems.count("amount_cents")) problems["amount_cents"] = "required";
  return amount;
}

}  // namespace

void add_loan_routes(Router& router, Services& services) {
  router.add("GET", "/api/v1/campaigns/{id}/schedule", [&services](Request& request) {
    std::optional<app::Principal> who;
    if (auto token = bearer_token(request)) who = services.accounts.authenticate(*token);
    auto view = services.loans.schedule(who, request.id<core::CampaignId>());
    if (!view) return error_response(view.error());
    Json installments = Json::array();
    for (const auto& item : view->installments) {
      Json entry = installment_json(item.installment);
      entry["state"] = app::to_string(item.state);
      installments.push_back(entry);
    }
    Json repayments = Json::array();
    for (const auto& r : view->repayments) repayments.push_back(repayment_json(r));
    return json_response(200,
                         Json{{"installments", installments},
                              {"principal_cents", view->position.principal_cents},
                              {"repaid_principal_cents", view->position.repaid_principal_cents},
                              {"repaid_interest_cents", view->position.repaid_interest_cents},
                              {"owed_now",
                               {{"interest_cents", view->owed_now.interest_cents},
                                {"principal_cents", view->owed_now.principal_cents},
                                {"total_cents", view->owed_now.total()}}},
                              {"overdue_count", view->overdue_count},
                              {"lenders_count", static_cast<std::int64_t>(view->contracts.size())},
                              {"repayments", repayments}});
  });

  add_api(router, services, "POST", "/api/v1/campaigns/{id}/repayments",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto amount = amount_field(*body, problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            const std::string key(request.header("idempotency-key"));
            auto rendered = services.loans.repay(who, request.id<core::CampaignId>(), key, *amount,
                                                 [](const app::RepaymentOutcome& outcome) {
                                                   Json repayment =
                                                       repayment_json(outcome.repayment);
                                                   if (!repayment.contains("allocations"))
                                                     repayment["allocations"] = Json::array();
                                                   return Json{{"repayment", repayment}}.dump();
                                                 });
            if (!rendered) return error_response(rendered.error());
            return stored_answer(*rendered);
          });

  add_api(router, services, "GET", "/api/v1/me/loans",
          [&services](Request& request, const app::Principal& who) {
            const auto summary = services.loans.mine(who);
            Json items = Json::array();
            for (const auto& loan : summary.loans) {
              Json item = {{"campaign_id", loan.contract.campaign_id},
                           {"campaign_title", loan.campaign_title},
                           {"lent_cents", loan.contract.amount_cents},
                           {"repaid_principal_cents", loan.contract.repaid_principal_cents},
                           {"repaid_interest_cents", loan.contract.repaid_interest_cents},
                           {"outstanding_cents", loan.outstanding_cents},
                           {"overdue", loan.overdue},
                           {"next_installment",
                            loan.next_share ? installment_json(*loan.next_share) : Json()}};
              Json shares = Json::array();
              for (const auto& share : loan.shares) shares.push_back(installment_json(share));
              item["schedule"] = shares;
              items.push_back(item);
            }
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/me/balance",
          [&services](Request&, const app::Principal& who) {
            const auto summary = services.loans.mine(who);
            Json withdrawals = Json::array();
            for (const auto& w : summary.withdrawals) withdrawals.push_back(withdrawal_json(w));
            return json_response(200, Json{{"balance_cents", summary.balance_cents},
                                           {"available_cents", summary.available_cents},
                                           {"test_balance_cents", summary.test_balance_cents},
                                           {"withdrawals", withdrawals}});
          });

  add_api(router, services, "POST", "/api/v1/me/withdrawals",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto amount = amount_field(*body, problems);
            const auto iban = string_field(*body, "iban", problems).value;
            if (!iban && !problems.count("iban")) problems["iban"] = "required";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto withdrawal = services.loans.request_withdrawal(who, *amount, *iban);
            if (!withdrawal) return error_response(withdrawal.error());
            return json_response(201, Json{{"withdrawal", withdrawal_json(*withdrawal)}});
          });

  add_api(router, services, "GET", "/api/v1/withdrawals",
          [&services](Request& request, const app::Principal& who) {
            auto list = services.loans.requested_withdrawals(who);
            if (!list) return error_response(list.error());
            Json items = Json::array();
            for (const auto& w : *list) items.push_back(withdrawal_json(w));
            return paged_list(request, items);
          });

  // Moderators: repayments declared by borrowers, waiting for the money.
  add_api(router, services, "GET", "/api/v1/repayments",
          [&services](Request& request, const app::Principal& who) {
            auto list = services.loans.pending_repayments(who);
            if (!list) return error_response(list.error());
            Json items = Json::array();
            for (const auto& r : *list) items.push_back(repayment_json(r));
            return paged_list(request, items);
          });

  for (const char* action : {"confirm", "reject"}) {
    add_api(router, services, "POST", std::string("/api/v1/repayments/{id}/") + action,
            [&services, action](Request& request, const app::Principal& who) {
              auto outcome = services.loans.review_repayment(who, request.params["id"],
                                                             std::string_view(action) == "confirm");
              if (!outcome) return error_response(outcome.error());
              return json_response(200, Json{{"repayment", repayment_json(*outcome)}});
            });
  }

  for (const char* action : {"execute", "cancel"}) {
    add_api(router, services, "POST", std::string("/api/v1/withdrawals/{id}/") + action,
            [&services, action](Request& request, const app::Principal& who) {
              const std::string& id = request.params["id"];
              auto outcome = std::string_view(action) == "execute"
                                 ? services.loans.execute_withdrawal(who, id)
                                 : services.loans.cancel_withdrawal(who, id);
              if (!outcome) return error_response(outcome.error());
              return json_response(200, Json{{"withdrawal", withdrawal_json(*outcome)}});
            });
  }
}

}  // namespace essor::web
