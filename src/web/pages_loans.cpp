// HTML pages of solidarity loans: the schedule on a loan campaign's page
// (with the treasurer's repayment form), the lender's page (loans, balance,
// withdrawals, yearly statements in CSV and PDF) and the moderators' list
// of withdrawals to pay.
#include "app/policy.hpp"
#include "core/money.hpp"
#include "web/csv.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

std::string rate_text(std::int64_t bp, const std::string& lang) {
  const std::string whole = std::to_string(bp / 100);
  const std::int64_t rest = bp % 100;
  std::string text = whole;
  if (rest != 0) {
    text += lang == "fr" ? "," : ".";
    text += (rest < 10 ? "0" : "") + std::to_string(rest);
    if (text.back() == '0') text.pop_back();
  }
  return text + (lang == "fr" ? "\u00a0%" : "%");
}

Json installment_view(const std::string& lang, const core::Installment& item) {
  return Json{{"number", item.number},
              {"due_date", when_json(lang, item.due)},
              {"principal_text", core::format_eur(item.principal_cents, lang)},
              {"interest_text", core::format_eur(item.interest_cents, lang)},
              {"total_text", core::format_eur(item.total_cents, lang)}};
}

// The text of ?<param>=<code> from the catalog entry prefix + code, or null.
Json coded_text(const std::string& lang, const Request& request, const std::string& param,
                const std::string& prefix) {
  const auto query = request.query_params();
  if (query.count(param) && catalog_has(lang, prefix + query.at(param))) {
    return translate(lang, prefix + query.at(param));
  }
  return Json();
}

Json notice_json(const std::string& lang, const Request& request) {
  return coded_text(lang, request, "done", "notice_loan_");
}

}  // namespace

Json loan_terms_json(Services& services, const std::string& lang, const core::LoanTerms& terms) {
  const auto& rules = services.pledges.loan_rules();
  return Json{{"rate_text", rate_text(terms.annual_rate_bp, lang)},
              {"term_months", terms.term_months},
              {"repayment_label", translate(lang, "loan_repayment_" + terms.repayment)},
              {"cap_text", core::format_eur(core::lender_cap(terms, rules), lang)},
              {"min_text", core::format_eur(rules.min_ticket_cents, lang)}};
}

Json loan_schedule_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who,
                        const app::CampaignRecord& campaign) {
  auto view = services.loans.schedule(who, campaign.id);
  if (!view) return Json();
  Json rows = Json::array();
  for (const auto& item : view->installments) {
    Json row = installment_view(lang, item.installment);
    row["state_label"] = translate(lang, "installment_" + app::to_string(item.state));
    row["overdue"] = item.state == app::InstallmentState::overdue;
    rows.push_back(row);
  }
  Json repayments = Json::array();
  for (const auto& r : view->repayments) {
    repayments.push_back(
        Json{{"date", when_json(lang, r.created_at)},
             {"amount_text", core::format_eur(r.amount_cents, lang)},
             {"principal_text", core::format_eur(r.principal_cents, lang)},
             {"interest_text", core::format_eur(r.interest_cents, lang)},
             {"status_label", translate(lang, "repayment_status_" + core::to_string(r.status))}});
  }
  bool can_repay = false;
  if (who) {
    const auto role = services.orgs.role_of(who->user_id, campaign.org_id);
    can_repay = app::campaign_allows(*who, role, app::CampaignActionKind::treasury);
  }
  const auto& p = view->position;
  return Json{
      {"installments", rows},
      {"repayments", repayments},
      {"has_repayments", !repayments.empty()},
      {"principal_text", core::format_eur(p.principal_cents, lang)},
      {"repaid_principal_text", core::format_eur(p.repaid_principal_cents, lang)},
      {"repaid_interest_text", core::format_eur(p.repaid_interest_cents, lang)},
      {"outstanding_text", core::format_eur(p.principal_cents - p.repaid_principal_cents, lang)},
      {"owed_now_text", core::format_eur(view->owed_now.total(), lang)},
      {"owed_interest_text", core::format_eur(view->owed_now.interest_cents, lang)},
      {"next_due_date", view->next_due ? when_json(lang, view->next_due->due) : Json(false)},
      {"next_due_text",
       view->next_due ? Json(core::format_eur(view->next_due->total_cents, lang)) : Json(false)},
      {"lenders_count", static_cast<std::int64_t>(view->contracts.size())},
      {"has_overdue", view->overdue_count > 0},
      {"overdue_count", view->overdue_count},
      {"is_repaid", p.repaid_principal_cents >= p.principal_cents},
      {"can_repay", can_repay},
      {"repay_key", services.crypto.random_token()}};
}

void add_loan_pages(Router& router, Services& services) {
  add_page_form(router, services, "/campaigns/{id}/repayments",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto id = request.id<core::CampaignId>();
                  const auto amount = core::parse_eur(field(form, "amount"));
                  auto rendered =
                      amount ? services.loans.repay(
                                   *context.user, id, field(form, "idempotency_key"), *amount,
                                   [](const app::RepaymentOutcome& o) { return o.repayment.id; })
                             : core::Result<app::Rendered>(
                                   core::Error::validation({{"amount_cents", "not an amount"}}));
                  if (!rendered) {
                    const auto& error = rendered.error();
                    if (error.kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(error.kind));
                    // Back to the schedule, which says why (a code, never echoed text).
                    return redirect_response("/campaigns/" + id + "?error=repay_refused#schedule");
                  }
                  return redirect_response("/campaigns/" + id + "?done=repaid#schedule");
                });

  router.add("GET", "/me/loans", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const auto summary = services.loans.mine(*context.user);
    const auto& lang = context.lang;
    Json loans = Json::array();
    for (const auto& loan : summary.loans) {
      const auto& c = loan.contract;
      loans.push_back(
          Json{{"campaign_id", c.campaign_id},
               {"campaign_title", loan.campaign_title},
               {"org_name", loan.org_name},
               {"lent_text", core::format_eur(c.amount_cents, lang)},
               {"repaid_principal_text", core::format_eur(c.repaid_principal_cents, lang)},
               {"repaid_interest_text", core::format_eur(c.repaid_interest_cents, lang)},
               {"outstanding_text", core::format_eur(loan.outstanding_cents, lang)},
               {"next", loan.next_share ? installment_view(lang, *loan.next_share) : Json(false)},
               {"shares",
                [&] {
                  Json rows = Json::array();
                  for (const auto& share : loan.shares)
                    rows.push_back(installment_view(lang, share));
                  return rows;
                }()},
               {"overdue", loan.overdue}});
    }
    Json withdrawals = Json::array();
    for (const auto& w : summary.withdrawals) {
      withdrawals.push_back(
          Json{{"id", w.id},
               {"date", when_json(lang, w.created_at)},
               {"amount_text", core::format_eur(w.amount_cents, lang)},
               {"iban", w.iban},
               {"status_label", translate(lang, "withdrawal_" + core::to_string(w.status))},
               {"is_requested", w.status == core::WithdrawalStatus::requested}});
    }
    const int year = static_cast<int>(core::paris_time(services.clock.now()).year);
    Json years = Json::array();
    // Statements of the years when something was repaid, no empty ones.
    for (int y = year; y > year - 3; --y) {
      const auto statement = services.loans.statement(*context.user, y);
      if (statement && !statement->lines.empty()) years.push_back(Json{{"year", y}});
    }
    Json data = {
        {"loans", loans},
        {"has_loans", !loans.empty()},
        {"lent_text", core::format_eur(summary.lent_cents, lang)},
        {"repaid_principal_text", core::format_eur(summary.repaid_principal_cents, lang)},
        {"repaid_interest_text", core::format_eur(summary.repaid_interest_cents, lang)},
        {"outstanding_text", core::format_eur(summary.outstanding_cents, lang)},
        {"next_due_date", summary.next_due ? when_json(lang, *summary.next_due) : Json(false)},
        {"balance_text", core::format_eur(summary.balance_cents, lang)},
        {"available_text", core::format_eur(summary.available_cents, lang)},
        {"has_available", summary.available_cents > 0},
        {"test_balance_text", summary.test_balance_cents > 0
                                  ? Json(core::format_eur(summary.test_balance_cents, lang))
                                  : Json(false)},
        {"withdrawals", withdrawals},
        {"has_withdrawals", !withdrawals.empty()},
        {"years", years},
        {"notice", notice_json(lang, request)},
        {"error_notice", coded_text(lang, request, "error", "error_loan_")}};
    return render_page(services, context, "lender", data, "lender_title");
  });

  add_page_form(router, services, "/me/withdrawals",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto amount = core::parse_eur(field(form, "amount"));
                  auto outcome =
                      amount ? services.loans.request_withdrawal(*context.user, *amount,
                                                                 field(form, "iban"))
                             : core::Result<app::WithdrawalRecord>(
                                   core::Error::validation({{"amount_cents", "not an amount"}}));
                  if (!outcome) {
                    if (outcome.error().kind != core::ErrorKind::validation &&
                        outcome.error().kind != core::ErrorKind::conflict) {
                      return render_error_page(services, request, status_of(outcome.error().kind));
                    }
                    const auto& error = outcome.error();
                    const char* code = error.code == "insufficient_balance" ? "withdraw_balance"
                                       : error.fields.count("iban")         ? "withdraw_iban"
                                                                            : "withdraw_amount";
                    return redirect_response(std::string("/me/loans?error=") + code + "#balance");
                  }
                  return redirect_response("/me/loans?done=withdrawal_requested#balance");
                });

  add_page_form(router, services, "/me/withdrawals/{id}/cancel",
                [&services](Request& request, PageContext& context, const Form&) {
                  auto outcome =
                      services.loans.cancel_withdrawal(*context.user, request.params["id"]);
                  if (!outcome)
                    return render_error_page(services, request, status_of(outcome.error().kind));
                  return redirect_response("/me/loans?done=withdrawal_cancelled#balance");
                });

  for (const std::string format : {"csv", "pdf"}) {
    router.add("GET", "/me/loans/statement." + format, [&services, format](Request& request) {
      auto context = page_context(services, request);
      if (!context.user) return login_redirect(request);
      const auto query = request.query_params();
      int year = 0;
      try {
        year = std::stoi(query.count("year") ? query.at("year") : "");
      } catch (const std::exception&) {
        year = 0;
      }
      auto statement = services.loans.statement(*context.user, year);
      if (!statement) return render_error_page(services, request, 400);
      const auto& lang = context.lang;
      const std::string name = "interest-" + std::to_string(year);
      if (format == "csv") {
        CsvSheet sheet(lang);
        sheet.header({"date", "repayment_id", "campaign_id", "campaign", "organisation",
                      "principal_eur", "interest_eur"});
        for (const auto& line : statement->lines) {
          const auto& r = line.receipt;
          sheet.row({sheet.date(r.created_at), r.repayment_id, r.campaign_id, line.campaign_title,
                     line.org_name, sheet.money(r.principal_cents), sheet.money(r.interest_cents)});
        }
        sheet.row({sheet.word("total"), "", "", "", "", sheet.money(statement->principal_cents),
                   sheet.money(statement->interest_cents)});
        return std::move(sheet).response(name + ".csv");
      }
      app::PlainDocument doc;
      doc.title = translate(lang, "statement_title") + " " + std::to_string(year);
      doc.paragraphs = {translate(lang, "statement_lender") + " " + statement->lender_name,
                        translate(lang, "statement_interest_total") + " " +
                            core::format_eur(statement->interest_cents, lang),
                        translate(lang, "statement_principal_total") + " " +
                            core::format_eur(statement->principal_cents, lang)};
      doc.table_header = {translate(lang, "ledger_date"), translate(lang, "statement_campaign"),
                          translate(lang, "loan_principal"), translate(lang, "loan_interest")};
      for (const auto& line : statement->lines) {
        doc.table_rows.push_back({date_text(lang, line.receipt.created_at),
                                  line.campaign_title + " (" + line.org_name + ")",
                                  core::format_eur(line.receipt.principal_cents, lang),
                                  core::format_eur(line.receipt.interest_cents, lang)});
      }
      doc.notes = {
          translate(lang, "statement_tax_note"),
          translate(lang, "statement_generated") + " " + date_text(lang, services.clock.now())};
      Response response;
      response.content_type = "application/pdf";
      response.body = services.pdf.pdf(doc);
      response.header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
      response.header("Cache-Control", "no-store");
      return response;
    });
  }

  router.add("GET", "/admin/withdrawals", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto list = services.loans.requested_withdrawals(*context.user);
    if (!list) return render_error_page(services, request, status_of(list.error().kind));
    Json rows = Json::array();
    for (const auto& w : *list) {
      rows.push_back(Json{{"id", w.id},
                          {"date", when_json(context.lang, w.created_at)},
                          {"amount_text", core::format_eur(w.amount_cents, context.lang)},
                          {"iban", w.iban}});
    }
    auto declared = services.loans.pending_repayments(*context.user);
    Json repayments = Json::array();
    if (declared) {
      for (const auto& r : *declared) {
        repayments.push_back(Json{{"id", r.id},
                                  {"campaign_id", r.campaign_id},
                                  {"date", when_json(context.lang, r.created_at)},
                                  {"amount_text", core::format_eur(r.amount_cents, context.lang)}});
      }
    }
    Json data = {{"withdrawals", rows},
                 {"has_withdrawals", !rows.empty()},
                 {"repayments", repayments},
                 {"has_repayments", !repayments.empty()},
                 {"notice", notice_json(context.lang, request)}};
    return render_page(services, context, "withdrawals", data, "withdrawals_title");
  });

  add_page_form(router, services, "/admin/withdrawals/{id}/execute",
                [&services](Request& request, PageContext& context, const Form&) {
                  auto outcome =
                      services.loans.execute_withdrawal(*context.user, request.params["id"]);
                  if (!outcome)
                    return render_error_page(services, request, status_of(outcome.error().kind));
                  return redirect_response("/admin/withdrawals?done=withdrawal_executed");
                });

  for (const char* action : {"confirm", "reject"}) {
    add_page_form(router, services, std::string("/admin/repayments/{id}/") + action,
                  [&services, action](Request& request, PageContext& context, const Form&) {
                    const bool arrived = std::string_view(action) == "confirm";
                    auto outcome = services.loans.review_repayment(*context.user,
                                                                   request.params["id"], arrived);
                    if (!outcome)
                      return render_error_page(services, request, status_of(outcome.error().kind));
                    return redirect_response(std::string("/admin/withdrawals?done=repayment_") +
                                             (arrived ? "confirmed" : "rejected"));
                  });
  }
}

}  // namespace essor::web
