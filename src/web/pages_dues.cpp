// Memberships (adhésions) on the site: the plans and the form to join on
// the organisation's page, a membership's page (with the transfer's
// details while it waits), "Mes adhésions", and the member register of the
// organisation's treasurer and admins.
#include <algorithm>

#include "app/policy.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

// An amount as the form's field shows it: "12,50" (fr) or "12.50" (en).
std::string amount_field(const std::string& lang, core::Cents cents) {
  std::string text = core::format_decimal(cents);
  if (lang == "fr") std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

Json plan_view(const std::string& lang, const app::MembershipPlanRecord& plan) {
  return Json{{"id", plan.id},
              {"name", plan.name},
              {"amount_text", core::format_eur(plan.amount_cents, lang)},
              {"min_text", core::format_eur(plan.min_amount_cents, lang)},
              {"free_amount", plan.free_amount},
              {"voting", plan.voting},
              {"period_label", translate(lang, "period_" + core::to_string(plan.period))}};
}

Json membership_view(const std::string& lang, const app::MembershipRecord& m) {
  return Json{{"id", m.id},
              {"org_id", m.org_id},
              {"plan_name", m.plan_name},
              {"display_name", m.display_name},
              {"status", core::to_string(m.status)},
              {"status_label", translate(lang, "membership_status_" + core::to_string(m.status))},
              {"is_pending", m.status == core::MembershipStatus::pending},
              {"starts_on", {{"iso", m.starts_on}, {"date", calendar_day_text(lang, m.starts_on)}}},
              {"ends_on", {{"iso", m.ends_on}, {"date", calendar_day_text(lang, m.ends_on)}}},
              {"amount_text", core::format_eur(m.amount_cents, lang)},
              {"method_label", translate(lang, "method_" + core::to_string(m.payment_method))},
              {"reference", m.reference}};
}

Json gift_view(const std::string& lang, const app::GiftRecord& g) {
  return Json{
      {"id", g.id},
      {"org_id", g.org_id},
      {"org_name", g.org_name},
      {"display_name", g.display_name},
      {"amount_text", core::format_eur(g.amount_cents, lang)},
      {"amount_field", amount_field(lang, g.amount_cents)},
      {"interval_label", translate(lang, "gift_every_" + core::to_string(g.interval))},
      {"status_label", translate(lang, "gift_status_" + core::to_string(g.status))},
      {"active", g.status == core::GiftStatus::active},
      {"paused", g.status == core::GiftStatus::paused},
      {"cancelled", g.status == core::GiftStatus::cancelled},
      {"next_on", {{"iso", g.next_charge_on}, {"date", calendar_day_text(lang, g.next_charge_on)}}},
      {"retry_on", g.retry_on ? calendar_day_text(lang, *g.retry_on) : ""},
      {"charges_count", g.charges_count}};
}

Json receipt_view(const std::string& lang, const app::TaxReceiptRecord& r) {
  return Json{{"id", r.id},
              {"number", r.number},
              {"year", r.year},
              {"org_id", r.org_id},
              {"donor", r.donor.full_name},
              {"amount_text", core::format_eur(r.amount_cents, lang)},
              {"kind_label", translate(lang, "receipt_kind_" + core::to_string(r.kind))},
              {"status_label", translate(lang, "receipt_status_" + core::to_string(r.status))},
              {"issued_on", when_json(lang, r.issued_at)}};
}

Response join_failed(Services& services, const PageContext& context, const core::OrgId& org_id,
                     const std::string& plan_id, const Form& form, const core::Error& error) {
  Json extra = {{"errors", errors_json(context.lang, error)},
                {"join", {{"plan_id", plan_id}, {"values", form}}}};
  return render_org_page(services, context, org_id, extra, status_of(error.kind));
}

}  // namespace

Json org_dues_json(Services& services, const PageContext& context, const app::OrgRecord& org,
                   std::optional<core::Role> role, const Json& join) {
  Json out = Json::object();
  auto plans = services.memberships.plans(org.id);
  Json list = Json::array();
  const bool card = services.memberships.options().sandbox_card();
  const bool transfer = org.iban.has_value();
  const std::string failed_plan = join.value("plan_id", "");
  for (const auto& plan : plans ? *plans : std::vector<app::MembershipPlanRecord>{}) {
    Json view = plan_view(context.lang, plan);
    const bool failed = plan.id == failed_plan;
    const Json values = failed ? join.value("values", Json::object()) : Json::object();
    const std::string method = values.value("payment_method", "");
    view["amount_value"] =
        failed ? values.value("amount", "") : amount_field(context.lang, plan.amount_cents);
    view["method_card"] = card && (method.empty() || method == "sandbox_card");
    view["method_transfer"] = transfer && (method == "bank_transfer" || (method.empty() && !card));
    view["failed"] = failed;
    view["join_values"] = values;
    list.push_back(std::move(view));
  }
  out["plans"] = list;
  out["has_plans"] = !list.empty();
  out["sandbox_card"] = card;
  out["bank_transfer"] = transfer;
  out["no_payment_method"] = !card && !transfer;
  out["can_manage"] = app::dues_allows(role, app::DuesAction::manage_plans);
  out["can_see_register"] = app::dues_allows(role, app::DuesAction::see_register);
  out["voting_requires_dues"] = org.voting_requires_dues;
  const auto settings = services.receipts.settings(org.id);
  out["receipts"] = {{"enabled", settings && settings->enabled},
                     {"object", settings ? settings->object : ""},
                     {"address", settings ? settings->address : ""},
                     {"signatory", settings ? settings->signatory : ""}};
  Json bases = Json::array();
  const std::string basis = settings ? core::to_string(settings->legal_basis) : "200";
  for (const char* each : {"200", "238bis", "both"})
    bases.push_back({{"value", each},
                     {"label", translate(context.lang, std::string("legal_basis_") + each)},
                     {"selected", basis == each}});
  out["legal_bases"] = bases;
  // Visitors too (guests): a kept page shares it, and a guest's keys are
  // scoped by their address.
  out["idempotency_key"] = services.crypto.random_token();
  // Regular gifts: by the test card only, for now (no provider mandate).
  out["gifts_open"] = card;
  out["gift_intervals"] =
      Json::array({{{"value", "month"}, {"label", translate(context.lang, "gift_interval_month")}},
                   {{"value", "year"}, {"label", translate(context.lang, "gift_interval_year")}}});
  out["periods"] = Json::array(
      {{{"value", "calendar_year"}, {"label", translate(context.lang, "period_calendar_year")}},
       {{"value", "twelve_months"}, {"label", translate(context.lang, "period_twelve_months")}}});
  return out;
}

void add_membership_pages(Router& router, Services& services) {
  add_page_form(
      router, services, "/orgs/{id}/membership-plans",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        app::PlanInput input;
        input.name = field(form, "name");
        const auto amount = core::parse_eur(field(form, "amount"));
        if (amount)
          input.amount_cents = *amount;
        else
          input.unreadable["amount_cents"] = "not an amount";
        input.free_amount = field(form, "free_amount") == "on";
        if (input.free_amount && !field(form, "min_amount").empty()) {
          if (auto min = core::parse_eur(field(form, "min_amount")))
            input.min_amount_cents = *min;
          else
            input.unreadable["min_amount_cents"] = "not an amount";
        }
        input.period = field(form, "period");
        input.voting = field(form, "voting") == "on";
        auto plan = services.memberships.create_plan(*context.user, org_id, input);
        if (!plan) {
          if (plan.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(plan.error().kind));
          Json extra = {{"errors", errors_json(context.lang, plan.error())},
                        {"plan_form", form},
                        {"tab", "admin"}};
          return render_org_page(services, context, org_id, extra, 400);
        }
        return redirect_response("/orgs/" + org_id + "?tab=admin&done=plan_created#plans-heading");
      });

  router.add("POST", "/membership-plans/{id}/join", [&services](Request& request) {
    auto context = page_context(services, request);
    const std::string plan_id = request.params["id"];
    const Form form = form_of(request);
    const core::OrgId org_id{field(form, "org_id")};
    // Without an account: a guest's address and name, else the login.
    const bool guest = !context.user && form.count("guest_email");
    if (!context.user && !guest)
      return redirect_response("/login?next=" + percent_encode("/orgs/" + org_id + "#adhesion"));
    if (!csrf_valid(services, request, form)) return render_error_page(services, request, 403);
    app::SubscriptionInput input;
    if (guest) input.guest = app::GuestInput{field(form, "guest_email"), field(form, "guest_name")};
    input.payment_method = field(form, "payment_method");
    input.receipt = receipt_of(form);
    if (form.count("amount")) {
      const auto amount = core::parse_eur(field(form, "amount"));
      if (!amount) {
        return join_failed(services, context, org_id, plan_id, form,
                           core::Error::validation({{"amount_cents", "not an amount"}}));
      }
      input.amount_cents = *amount;
    }
    const Json fingerprint = {
        {"amount_cents", input.amount_cents ? Json(*input.amount_cents) : Json(nullptr)},
        {"payment_method", input.payment_method},
        {"guest", guest ? field(form, "guest_email") : ""},
        {"receipt", field(form, "receipt_full_name")}};
    auto rendered = services.memberships.subscribe(
        context.user.value_or(app::Principal{}), plan_id, field(form, "idempotency_key"),
        fingerprint.dump(), input,
        [](const app::MembershipOutcome& outcome) { return outcome.membership.id; });
    if (!rendered) {
      if (rendered.error().kind == core::ErrorKind::not_found || org_id.empty())
        return render_error_page(services, request, status_of(rendered.error().kind));
      return join_failed(services, context, org_id, plan_id, form, rendered.error());
    }
    // A guest has no page of their own yet: the mail tells them the rest.
    if (guest) return redirect_response("/orgs/" + org_id + "?done=guest_joined#adhesion");
    return redirect_response("/memberships/" + rendered->body + "?done=joined");
  });

  router.add("GET", "/memberships/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto outcome = services.memberships.get(*context.user, request.params["id"]);
    if (!outcome) return render_error_page(services, request, status_of(outcome.error().kind));
    const auto& m = outcome->membership;
    auto org = services.orgs.get(m.org_id);
    const auto role = services.orgs.role_of(context.user->user_id, m.org_id);
    Json data = {{"membership", membership_view(context.lang, m)},
                 {"is_test", m.payment_method == core::PaymentMethod::sandbox_card},
                 {"can_confirm", m.status == core::MembershipStatus::pending &&
                                     app::dues_allows(role, app::DuesAction::confirm_dues)}};
    if (org) data["org"] = {{"id", org->id}, {"name", org->name}};
    if (outcome->transfer) {
      data["transfer_html"] =
          transfer_html(context.lang, *outcome->transfer, "membership_transfer_intro");
    }
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang, "notice_membership_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "membership", data, "membership_title");
  });

  add_page_form(router, services, "/memberships/{id}/confirm",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  auto outcome = services.memberships.confirm(*context.user, id);
                  if (!outcome)
                    return render_error_page(services, request, status_of(outcome.error().kind));
                  return redirect_response(safe_next(field(form, "back"), "/memberships/" + id) +
                                           "?done=confirmed");
                });

  router.add("GET", "/me/memberships", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json rows = Json::array();
    for (const auto& m : services.memberships.mine(*context.user)) {
      Json view = membership_view(context.lang, m);
      view["org_name"] = m.org_name;
      rows.push_back(std::move(view));
    }
    Json data = {{"memberships", rows}, {"has_memberships", !rows.empty()}};
    return render_page(services, context, "my_memberships", data, "my_memberships_title");
  });

  router.add("POST", "/orgs/{id}/recurring-gifts", [&services](Request& request) {
    auto context = page_context(services, request);
    const core::OrgId org_id = request.id<core::OrgId>();
    if (!context.user)
      return redirect_response("/login?next=" +
                               percent_encode("/orgs/" + org_id + "#don-regulier"));
    const Form form = form_of(request);
    if (!csrf_valid(services, request, form)) return render_error_page(services, request, 403);
    app::GiftInput input;
    const auto amount = core::parse_eur(field(form, "amount"));
    input.amount_cents = amount.value_or(0);
    input.interval = field(form, "interval");
    input.payment_method = "sandbox_card";
    input.receipt = receipt_of(form);
    const Json fingerprint = {{"amount_cents", input.amount_cents},
                              {"interval", input.interval},
                              {"payment_method", input.payment_method},
                              {"receipt", field(form, "receipt_full_name")}};
    auto rendered =
        amount ? services.gifts.create(*context.user, org_id, field(form, "idempotency_key"),
                                       fingerprint.dump(), input,
                                       [](const app::GiftRecord& gift) { return gift.id; })
               : core::Result<app::Rendered>(
                     core::Error::validation({{"amount_cents", "not an amount"}}));
    if (!rendered) {
      if (rendered.error().kind == core::ErrorKind::not_found)
        return render_error_page(services, request, 404);
      Json extra = {{"errors", errors_json(context.lang, rendered.error())}, {"gift_form", form}};
      return render_org_page(services, context, org_id, extra, status_of(rendered.error().kind));
    }
    return redirect_response("/me/recurring-gifts?done=gift_created");
  });

  router.add("GET", "/me/recurring-gifts", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json rows = Json::array();
    for (const auto& g : services.gifts.mine(*context.user))
      rows.push_back(gift_view(context.lang, g));
    Json data = {{"gifts", rows}, {"has_gifts", !rows.empty()}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) data["notice"] = notice;
    return render_page(services, context, "my_gifts", data, "my_gifts_title");
  });

  add_page_form(router, services, "/recurring-gifts/{id}",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  app::GiftPatch patch;
                  const std::string action = field(form, "action");
                  if (action == "amount") {
                    const auto amount = core::parse_eur(field(form, "amount"));
                    patch.amount_cents = amount.value_or(0);
                  } else if (action == "pause") {
                    patch.status = "paused";
                  } else if (action == "resume") {
                    patch.status = "active";
                  } else if (action == "cancel") {
                    if (auto ask = confirmation_first(services, context, request, form,
                                                      "confirm_gift_cancel", "/me/recurring-gifts"))
                      return *ask;
                    patch.status = "cancelled";
                  } else {
                    return render_error_page(services, request, 400);
                  }
                  auto gift = services.gifts.change(*context.user, id, patch);
                  if (!gift) {
                    if (gift.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(gift.error().kind));
                    Json rows = Json::array();
                    for (const auto& g : services.gifts.mine(*context.user))
                      rows.push_back(gift_view(context.lang, g));
                    Json data = {{"gifts", rows},
                                 {"has_gifts", !rows.empty()},
                                 {"errors", errors_json(context.lang, gift.error())}};
                    return render_page(services, context, "my_gifts", data, "my_gifts_title", 400);
                  }
                  return redirect_response("/me/recurring-gifts?done=gift_" + action);
                });

  // A guest's link: what they gave, handed over to the account that
  // opens it (signed up or signed in first).
  router.add("GET", "/claim/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    const std::string path = "/claim/" + request.params["token"];
    Json data = {{"path_next", percent_encode(path)}, {"action", path}};
    return render_page(services, context, "claim", data, "claim_title");
  });

  add_page_form(
      router, services, "/claim/{token}",
      [&services](Request& request, PageContext& context, const Form&) {
        auto claimed = services.guests.claim(*context.user, request.params["token"]);
        if (!claimed) {
          Json data = {{"errors", errors_json(context.lang, claimed.error())}, {"used", true}};
          return render_page(services, context, "claim", data, "claim_title", 400);
        }
        return redirect_response("/me?done=claimed");
      });

  router.add("GET", "/me/receipts", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json rows = Json::array();
    for (const auto& r : services.receipts.mine(*context.user)) {
      Json view = receipt_view(context.lang, r);
      view["org_name"] = r.org_name;
      rows.push_back(std::move(view));
    }
    Json data = {{"receipts", rows}, {"has_receipts", !rows.empty()}, {"mine", true}};
    return render_page(services, context, "receipts", data, "my_receipts_title");
  });

  router.add("GET", "/orgs/{id}/receipts", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    // A hundred at a time, newest first (?page=).
    const auto page = list_page(request, 100);
    auto rows =
        services.receipts.of_org(*context.user, org_id, std::nullopt, page.limit(), page.offset());
    if (!rows) return render_error_page(services, request, status_of(rows.error().kind));
    const bool more = trim_to_list_page(*rows, page);
    auto org = services.orgs.get(org_id);
    if (!org) return render_error_page(services, request, 404);
    Json list = Json::array();
    for (const auto& r : *rows) list.push_back(receipt_view(context.lang, r));
    const auto settings = services.receipts.settings(org_id);
    Json data = {
        {"org", {{"id", org->id}, {"name", org->name}}},
        {"receipts", list},
        {"has_receipts", !list.empty() || page.number > 1},
        {"pager", pager_html(context.lang, translate(context.lang, "org_receipts_pages"), page,
                             more, std::nullopt, "/orgs/" + org_id + "/receipts?page=")},
        {"enabled", settings && settings->enabled},
        {"last_year", core::paris_time(services.clock.now()).year - 1},
        {"title", translate(context.lang, "org_receipts_title") + " · " + org->name}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) data["notice"] = notice;
    return render_page(services, context, "receipts", data, "org_receipts_title");
  });

  add_page_form(router, services, "/orgs/{id}/receipts/annual",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const core::OrgId org_id = request.id<core::OrgId>();
                  std::int64_t year = 0;
                  try {
                    year = std::stoll(field(form, "year"));
                  } catch (const std::exception&) {
                    year = 0;
                  }
                  auto created = services.receipts.annual(*context.user, org_id, year);
                  if (!created)
                    return render_error_page(services, request, status_of(created.error().kind));
                  return redirect_response("/orgs/" + org_id + "/receipts?done=annual_receipts");
                });

  add_page_form(
      router, services, "/orgs/{id}/receipt-settings",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        app::ReceiptSettingsInput input{field(form, "enabled") == "on", field(form, "legal_basis"),
                                        field(form, "object"), field(form, "address"),
                                        field(form, "signatory")};
        auto settings = services.receipts.configure(*context.user, org_id, input);
        if (!settings) {
          if (settings.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(settings.error().kind));
          Json extra = {{"errors", errors_json(context.lang, settings.error())},
                        {"receipt_form", form},
                        {"tab", "admin"}};
          return render_org_page(services, context, org_id, extra, 400);
        }
        return redirect_response("/orgs/" + org_id + "?tab=admin&done=saved#receipts-heading");
      });

  router.add("GET", "/orgs/{id}/accounting", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    auto org = services.orgs.get(org_id);
    if (!org) return render_error_page(services, request, 404);
    if (!app::dues_allows(services.orgs.role_of(context.user->user_id, org_id),
                          app::DuesAction::keep_books))
      return render_error_page(services, request, 403);
    Json years = Json::array();
    const auto first = core::paris_time(org->created_at).year;
    for (auto year = core::paris_time(services.clock.now()).year; year >= first; --year)
      years.push_back({{"year", year}});
    Json data = {{"org", {{"id", org->id}, {"name", org->name}}},
                 {"years", years},
                 {"title", translate(context.lang, "accounting_title") + " · " + org->name}};
    return render_page(services, context, "accounting", data, "accounting_title");
  });

  // Bank reconciliation: the upload form, then the report of what the
  // statement confirmed and what it could not match.
  auto statement_page = [&services](Request& request, const Json& extra, int status) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    auto org = services.orgs.get(org_id);
    if (!org) return render_error_page(services, request, 404);
    if (!app::dues_allows(services.orgs.role_of(context.user->user_id, org_id),
                          app::DuesAction::confirm_dues))
      return render_error_page(services, request, 403);
    Json data = extra;
    data["org"] = {{"id", org->id}, {"name", org->name}};
    data["title"] = translate(context.lang, "reconcile_title") + " · " + org->name;
    return render_page(services, context, "bank_statement", data, "reconcile_title", status);
  };

  router.add("GET", "/orgs/{id}/bank-statements", [statement_page](Request& request) {
    return statement_page(request, Json::object(), 200);
  });

  add_page_form(
      router, services, "/orgs/{id}/bank-statements",
      [&services, statement_page](Request& request, PageContext& context, const Form& form) {
        auto report = services.reconciliation.statement(*context.user, request.id<core::OrgId>(),
                                                        field(form, "statement"));
        if (!report) {
          if (report.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(report.error().kind));
          return statement_page(request, {{"errors", errors_json(context.lang, report.error())}},
                                400);
        }
        Json matched = Json::array(), unmatched = Json::array();
        for (const auto& m : report->matched) {
          const bool pledge = m.payment.kind == app::AnnouncedPayment::Kind::pledge;
          matched.push_back({{"entry_ref", m.entry.entry_ref},
                             {"amount_text", core::format_eur(m.entry.amount_cents, context.lang)},
                             {"href", (pledge ? "/pledges/" : "/memberships/") + m.payment.id},
                             {"what", translate(context.lang, pledge ? "statement_pledge"
                                                                     : "statement_membership")},
                             {"already", m.already}});
        }
        for (const auto& u : report->unmatched) {
          unmatched.push_back(
              {{"entry_ref", u.entry.entry_ref},
               {"amount_text", core::format_eur(u.entry.amount_cents, context.lang)},
               {"remittance", u.entry.remittance},
               {"reason", translate(context.lang, "statement_reason_" + u.reason)}});
        }
        Json data = {{"report", true},
                     {"matched", matched},
                     {"has_matched", !matched.empty()},
                     {"unmatched", unmatched},
                     {"has_unmatched", !unmatched.empty()}};
        return statement_page(request, data, 200);
      });

  router.add("GET", "/orgs/{id}/register", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    const auto query = request.query_params();
    std::optional<core::MembershipStatus> status;
    std::string status_text;
    if (auto it = query.find("status"); it != query.end()) {
      status = core::parse_membership_status(it->second);
      if (status) status_text = it->second;
    }
    // Memberships and gifts a hundred at a time (?page=, ?gifts_page=).
    const auto page = list_page(request, 100), gifts_page = list_page(request, 100, "gifts_page");
    auto rows = services.memberships.register_of(*context.user, org_id, status, page.limit(),
                                                 page.offset());
    if (!rows) return render_error_page(services, request, status_of(rows.error().kind));
    const bool more = trim_to_list_page(*rows, page);
    auto org = services.orgs.get(org_id);
    if (!org) return render_error_page(services, request, 404);
    Json list = Json::array();
    for (const auto& m : *rows) list.push_back(membership_view(context.lang, m));
    Json filters = Json::array();
    for (const char* each : {"", "active", "pending", "expired", "cancelled"}) {
      const std::string s = each;
      filters.push_back(
          {{"href", "/orgs/" + org_id + "/register" + (s.empty() ? "" : "?status=" + s)},
           {"label",
            translate(context.lang, s.empty() ? "register_all" : "membership_status_" + s)},
           {"current", s == status_text}});
    }
    Json gifts = Json::array();
    bool more_gifts = false;
    if (auto of_org =
            services.gifts.of_org(*context.user, org_id, gifts_page.limit(), gifts_page.offset())) {
      more_gifts = trim_to_list_page(*of_org, gifts_page);
      for (const auto& g : *of_org) gifts.push_back(gift_view(context.lang, g));
    }
    const std::string here = "/orgs/" + org_id + "/register?";
    const std::string with_status = status_text.empty() ? "" : "status=" + status_text + "&";
    Json data = {
        {"org", {{"id", org->id}, {"name", org->name}}},
        {"gifts", gifts},
        {"has_gifts", !gifts.empty()},
        {"gifts_pager", pager_html(context.lang, translate(context.lang, "register_gifts_pages"),
                                   gifts_page, more_gifts, std::nullopt,
                                   here + with_status + "gifts_page=", "#gifts-heading")},
        {"memberships", list},
        {"has_memberships", !list.empty()},
        {"pager", pager_html(context.lang, translate(context.lang, "register_pages"), page, more,
                             std::nullopt, here + with_status + "page=")},
        {"filters", filters},
        {"back", context.path},
        {"title", translate(context.lang, "register_title") + " · " + org->name}};
    if (auto notice = notice_of(request, context.lang, "notice_membership_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "register", data, "register_title");
  });
}

}  // namespace essor::web
