// HTML pages of crowdfunding: campaign list and page (progress, rewards, a
// pledge form that works without JavaScript, OpenGraph tags, a QR code of
// the page), pledge pages with bank transfer instructions, the public
// ledger, campaign creation, the moderation queue and the treasurer's list
// of pending transfers.
#include <algorithm>
#include <shared_mutex>
#include <unordered_map>

#include "app/policy.hpp"
#include "core/campaign.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
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

const char* const kStatuses[3] = {"live", "succeeded", "failed"};

Response not_found_page(Services& services, const Request& request) {
  return render_error_page(services, request, 404);
}

// Whole days left before the end, counting a day begun.
std::int64_t days_left(const app::CampaignRecord& c, core::TimestampMs now) {
  return c.ends_at > now ? (c.ends_at - now + 86'399'999) / 86'400'000 : 0;
}

Json campaign_view(Services& services, const std::string& lang, const app::CampaignView& view) {
  const auto& c = view.campaign;
  const auto now = services.clock.now();
  Json out = campaign_json(view);
  const auto percent = c.goal_cents > 0 ? view.totals.raised_cents * 100 / c.goal_cents : 0;
  out["percent"] = percent;
  out["progress_value"] = std::min<core::Cents>(view.totals.raised_cents, c.goal_cents);
  out["raised_text"] = core::format_eur(view.totals.raised_cents, lang);
  out["pledged_text"] = core::format_eur(view.totals.pledged_cents, lang);
  out["goal_text"] = core::format_eur(c.goal_cents, lang);
  out["category_label"] = translate(lang, "category_" + c.category);
  out["status_label"] = translate(lang, "status_" + core::to_string(c.status));
  out["is_live"] = c.status == core::CampaignStatus::live;
  out["is_draft"] = c.status == core::CampaignStatus::draft;
  out["is_in_review"] = c.status == core::CampaignStatus::in_review;
  out["is_loan"] = c.kind == core::CampaignKind::loan;
  out["days_left"] = days_left(c, now);
  out["ends_on"] = when_json(lang, c.ends_at);
  out["funding_model_label"] = translate(lang, "funding_" + core::to_string(c.funding_model));
  for (std::size_t idx = 0; idx < view.rewards.size(); ++idx) {
    const auto& reward = view.rewards[idx];
    out["rewards"][idx]["min_text"] = core::format_eur(reward.min_amount_cents, lang);
    out["rewards"][idx]["min_euros"] = core::format_decimal(reward.min_amount_cents);
    out["rewards"][idx]["sold_out"] =
        reward.quantity_limit && reward.claimed >= *reward.quantity_limit;
    out["rewards"][idx]["limited"] = reward.quantity_limit.has_value();
  }
  out["has_rewards"] = !view.rewards.empty();
  // A funder's matches (matchfunding): a bar in two parts, drawn as SVG
  // (attributes, not styles), that the text next to it says in words.
  const core::Cents matched = view.totals.matched_cents;
  out["has_match"] = matched > 0;
  if (matched > 0) {
    out["matched_text"] = core::format_eur(matched, lang);
    out["total_text"] = core::format_eur(view.totals.raised_cents + matched, lang);
    const double scale =
        static_cast<double>(std::max(c.goal_cents, view.totals.raised_cents + matched));
    const auto width = [&](core::Cents part) {
      return std::to_string(static_cast<int>(1000.0 * static_cast<double>(part) / scale));
    };
    out["match_bar"] =
        "<svg class=\"match-bar\" viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\" "
        "aria-hidden=\"true\" focusable=\"false\"><rect width=\"1000\" height=\"24\" "
        "rx=\"6\" fill=\"#e3e8ee\"/><rect width=\"" +
        width(view.totals.raised_cents) + "\" height=\"24\" fill=\"#1f5f8b\"/><rect x=\"" +
        width(view.totals.raised_cents) + "\" width=\"" + width(matched) +
        "\" height=\"24\" fill=\"#d9822b\"/></svg>";
  }
  return out;
}

// The list's cards, rendered once and kept while what they show is the
// same: the key is everything a card shows, so a kept card is never stale
// and needs no invalidation (a pledge changes the totals, hence the key).
// Bounded: when full, the cards are dropped and rendered again.
class KeptCards {
 public:
  std::string card(Services& services, const std::string& lang, const app::CampaignView& view) {
    const auto& c = view.campaign;
    const auto now = services.clock.now();
    std::string key;
    key.reserve(256 + c.summary.size());
    const std::string status = core::to_string(c.status);
    const std::string cover = view.cover_hash.value_or("");
    for (const std::string* part :
         {&lang, &c.id.str(), &c.title, &c.summary, &c.category, &status, &view.org_name, &cover}) {
      key += *part;
      key += '\x1f';
    }
    for (const std::int64_t number : std::initializer_list<std::int64_t>{
             c.goal_cents, view.totals.raised_cents, view.totals.pledged_cents,
             view.totals.backers_count, days_left(c, now)}) {
      key += std::to_string(number);
      key += '\x1f';
    }
    {
      std::shared_lock lock(mutex_);
      if (const auto it = cards_.find(key); it != cards_.end()) return it->second;
    }
    std::string html = render_fragment("campaign_card", lang, campaign_view(services, lang, view));
    std::unique_lock lock(mutex_);
    if (cards_.size() >= kMaxCards) cards_.clear();
    cards_.emplace(std::move(key), html);
    return html;
  }

 private:
  static constexpr std::size_t kMaxCards = 4096;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::string> cards_;  // GUARDED_BY(mutex_)
};

std::string campaign_card_html(Services& services, const std::string& lang,
                               const app::CampaignView& view) {
  static KeptCards kept;  // keyed by content: shared safely by every App of the process
  return kept.card(services, lang, view);
}

Json pledge_view(const std::string& lang, const app::PledgeRecord& pledge) {
  Json out = pledge_json(pledge);
  out["amount_text"] = core::format_eur(pledge.amount_cents, lang);
  out["status_label"] = translate(lang, "pledge_status_" + core::to_string(pledge.status));
  out["method_label"] = translate(lang, "method_" + core::to_string(pledge.payment_method));
  out["is_pending"] = pledge.status == core::PledgeStatus::pending;
  out["is_test"] = pledge.payment_method == core::PaymentMethod::sandbox_card;
  out["created_on"] = when_json(lang, pledge.created_at);
  return out;
}

std::optional<app::Principal> user_of(const PageContext& context) {
  return context.user;
}

std::string campaign_url(Services& services, const std::string& id) {
  return services.options.public_url + "/campaigns/" + id;
}

Response render_campaign_page(Services& services, const PageContext& context,
                              const app::CampaignView& view, Json extra, int status) {
  const auto& c = view.campaign;
  Json data = std::move(extra);
  data["campaign"] = campaign_view(services, context.lang, view);
  if (view.totals.matched_cents > 0) {
    Json matchers = Json::array();
    for (const auto& a : services.calls.accepted_for(c.id))
      matchers.push_back({{"call_id", a.call_id}, {"funder_name", a.funder_name}});
    data["matchers"] = matchers;
  }
  data["title"] = c.title;
  data["description_html"] = markdown_to_html(c.description_md);
  data["url"] = campaign_url(services, c.id);
  data["share_mailto"] = "mailto:?subject=" + percent_encode(c.title) +
                         "&body=" + percent_encode(campaign_url(services, c.id));
  data["og"] = {
      {"title", c.title},
      {"description", c.summary},
      {"url", campaign_url(services, c.id)},
      {"image", view.cover_hash ? services.options.public_url + "/campaigns/" + c.id + "/cover"
                                : services.options.public_url + "/static/og-default.png"}};
  data["page_qr_svg"] = services.qr.svg(campaign_url(services, c.id)).value_or("");
  // The description's own first heading stands for the section's.
  const auto first = c.description_md.find_first_not_of(" \t\r\n");
  data["description_has_heading"] = first != std::string::npos && c.description_md[first] == '#';
  data["sandbox_card"] = services.pledges.options().sandbox_card();
  // A transfer is offered only to an organisation that gave its IBAN.
  bool transfer = false;
  bool receipts = false;
  if (c.status == core::CampaignStatus::live) {
    const auto org = services.orgs.get(c.org_id);
    transfer = org && org->iban && !org->iban->empty();
    // A gift (never a loan) to an organisation that issues tax receipts.
    if (c.kind == core::CampaignKind::donation) {
      const auto settings = services.receipts.settings(c.org_id);
      receipts = settings && settings->enabled;
    }
  }
  data["bank_transfer"] = transfer;
  data["receipts_offered"] = receipts;
  if (receipts) {
    data["receipt_fields_html"] = receipt_fields_html(
        context.lang, "", data.value("values", Json::object()),
        data.contains("errors") ? data["errors"].value("fields", Json::object()) : Json::object());
  }
  data["loan_terms"] = c.loan ? loan_terms_json(services, context.lang, *c.loan) : Json(false);
  data["loan"] = c.kind == core::CampaignKind::loan && c.status == core::CampaignStatus::succeeded
                     ? loan_schedule_json(services, context.lang, context.user, c)
                     : Json(false);
  // The reader's own parts: written as holes when the page is kept for any
  // signed-in reader (web/render.hpp), read for this reader otherwise.
  auto* const keeping = reader_keeping();
  if (keeping) {
    keeping->question = app::ReaderQuestion{c.org_id, core::Subject::campaign, c.id};
    data["balance_option"] = keeping->marker(ReaderHole::balance);
    data["idempotency_key"] = keeping->marker(ReaderHole::idempotency_key);
  } else {
    data["balance_option"] = "";
    if (context.user && c.status == core::CampaignStatus::live) {
      data["balance_option"] = balance_option_html(
          context.lang, services.loans.available(*context.user),
          data.contains("values") && data["values"].value("payment_method", "") == "balance");
    }
    data["idempotency_key"] = services.crypto.random_token();
  }
  if (!data.contains("values")) data["values"] = Json::object();
  // Signed in, or a guest giving with an address and a name (never a
  // loan: a loan is a contract with a lender who has an account).
  data["pledge_form"] = context.user.has_value() || c.kind != core::CampaignKind::loan;
  // What the reader chose, kept when the form comes back with an error.
  const Json& values = data["values"];
  const std::string method = values.value("payment_method", "");
  const bool card = data["sandbox_card"].get<bool>();
  data["method_card"] = card && (method.empty() || method == "sandbox_card");
  data["method_transfer"] =
      data["bank_transfer"].get<bool>() && (method == "bank_transfer" || (method.empty() && !card));
  const std::string reward_id = values.value("reward_id", "");
  data["reward_chosen"] = !reward_id.empty();
  // Neither a card nor an IBAN: say so rather than show an empty choice.
  data["no_payment_method"] = !card && !data["bank_transfer"].get<bool>();
  for (auto& reward : data["campaign"]["rewards"]) reward["chosen"] = reward["id"] == reward_id;
  if (context.user) {
    const auto role = services.orgs.role_of(context.user->user_id, c.org_id);
    const auto& who = *context.user;
    data["is_admin"] = app::campaign_allows(who, role, app::CampaignActionKind::manage);
    data["can_export"] = app::campaign_allows(who, role, app::CampaignActionKind::treasury);
    data["can_close"] = c.status == core::CampaignStatus::live &&
                        app::campaign_allows(who, role, app::CampaignActionKind::close);
    data["can_review"] = c.status == core::CampaignStatus::in_review &&
                         app::campaign_allows(who, role, app::CampaignActionKind::review);
  }
  const ListPage threads{data.value("comments_page", std::int64_t{1}), kThreadsPerPage};
  data["community"] = campaign_community_json(services, context.lang, context.user, c,
                                              data.value("is_admin", false), threads);
  data["community"]["follow_button"] =
      keeping
          ? keeping->marker(ReaderHole::follow)
          : follow_button_html(context.lang,
                               context.user && services.community.follows.is_following(
                                                   *context.user, core::Subject::campaign, c.id));
  return render_page(services, context, "campaign", data, "", status);
}

std::optional<core::Cents> euros_field(const Form& form, const std::string& name) {
  return core::parse_eur(field(form, name));
}

void add_campaign_view_pages(Router& router, Services& services) {
  router.add("GET", "/campaigns", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto query = request.query_params();
    auto param = [&query](const char* name) -> std::optional<std::string> {
      const auto it = query.find(name);
      if (it == query.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    app::CampaignFilter filter;
    if (const auto status = param("status")) filter.status = core::parse_status(*status);
    filter.category = param("category");
    filter.query = param("q");
    // The list's filter offers the public statuses only.
    if (filter.status) {
      if (!core::is_public(*filter.status)) filter.status.reset();
    }
    if (filter.category && !core::is_category(*filter.category)) filter.category.reset();
    const std::string status_word = filter.status ? core::to_string(*filter.status) : "";
    filter.limit = 24;
    if (auto page = query.find("page"); page != query.end()) {
      filter.offset = std::clamp<std::int64_t>(std::atoll(page->second.c_str()), 0, 10'000) * 24;
    }
    auto list = services.campaigns.list(user_of(context), filter);
    // The kept cards joined here, not handed one by one to the template.
    std::string cards;
    if (list) {
      for (const auto& view : list->items) {
        cards += "<li>";
        cards += campaign_card_html(services, context.lang, view);
        cards += "</li>\n";
      }
    }
    Json data = {{"cards_html", std::move(cards)},
                 {"has_campaigns", list && !list->items.empty()},
                 {"q", filter.query.value_or("")},
                 {"categories", options_json(context.lang, "category_", core::kCategories,
                                             filter.category.value_or(""))},
                 {"statuses", options_json(context.lang, "status_", kStatuses, status_word)}};
    if (list && list->next_offset) {
      data["next_page"] = "/campaigns?q=" + percent_encode(filter.query.value_or("")) +
                          "&category=" + filter.category.value_or("") + "&status=" + status_word +
                          "&page=" + std::to_string(*list->next_offset / 24);
    }
    return render_page(services, context, "campaigns", data, "campaigns_title");
  });

  router.add("GET", "/campaigns/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    auto view = services.campaigns.get(user_of(context), request.id<core::CampaignId>());
    if (!view) return not_found_page(services, request);
    Json extra = Json::object();
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang, "notice_campaign_"); !notice.empty())
      extra["notice"] = notice;
    if (query.count("error") && catalog_has(context.lang, "error_campaign_" + query.at("error"))) {
      extra["error_notice"] = translate(context.lang, "error_campaign_" + query.at("error"));
    }
    // The comment threads fifty at a time, newest first (?comments_page=).
    extra["comments_page"] = list_page(request, kThreadsPerPage, "comments_page").number;
    return render_campaign_page(services, context, *view, extra, 200);
  });

  // The cover image: anyone who may see the campaign; cached by its hash.
  router.add("GET", "/campaigns/{id}/cover", [&services](Request& request) {
    auto context = page_context(services, request);
    auto cover = services.campaigns.cover(context.user, request.id<core::CampaignId>());
    if (!cover) return not_found_page(services, request);
    return cacheable_response(request, cover->etag, cover->content_type, std::move(cover->bytes));
  });

  router.add("POST", "/campaigns/{id}/cover", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto form = parse_multipart(request.header("content-type"), request.body);
    if (!form || !csrf_valid(services, request, *form))
      return render_error_page(services, request, 403);
    const auto id = request.id<core::CampaignId>();
    auto updated = services.campaigns.set_cover(*context.user, id, field(*form, "cover"));
    if (!updated) {
      const auto kind = updated.error().kind;
      if (kind != core::ErrorKind::validation && kind != core::ErrorKind::payload_too_large) {
        return render_error_page(services, request, status_of(kind));
      }
      auto view = services.campaigns.get(context.user, id);
      if (!view) return not_found_page(services, request);
      return render_campaign_page(services, context, *view,
                                  Json{{"errors", errors_json(context.lang, updated.error())}},
                                  status_of(kind));
    }
    return redirect_response("/campaigns/" + id + "?done=cover");
  });

  router.add("GET", "/campaigns/{id}/ledger", [&services](Request& request) {
    auto context = page_context(services, request);
    auto view = services.campaigns.get(user_of(context), request.id<core::CampaignId>());
    if (!view) return not_found_page(services, request);
    // Accounts as people read them; the raw name stays in a title for
    // whoever checks the chain.
    const auto& lang = context.lang;
    const auto account_label = [&](const std::string& account) {
      const auto colon = account.find(':');
      const std::string type = account.substr(0, colon);
      const std::string rest = colon == std::string::npos ? "" : account.substr(colon + 1);
      if (type == "campaign")
        return translate(lang,
                         rest == view->campaign.id ? "account_this_campaign" : "account_campaign");
      if (type == "org")
        return rest == view->campaign.org_id
                   ? fill_placeholders(translate(lang, "account_org"), {{"name", view->org_name}})
                   : translate(lang, "account_other_org");
      if (type == "wallet")
        return translate(lang, rest.ends_with(":test") ? "account_wallet_test" : "account_wallet");
      if (type == "external" && catalog_has(lang, "account_external_" + rest))
        return translate(lang, "account_external_" + rest);
      return account;
    };
    // A hundred transfers at a time, oldest first.
    const auto page = list_page(request, 100);
    auto transfers = services.ledger.of_campaign(view->campaign.id, page.limit(), page.offset());
    const bool more = trim_to_list_page(transfers, page);
    Json rows = Json::array();
    for (const auto& t : transfers) {
      Json row = transfer_json(t);
      row["when"] = when_json(lang, t.created_at);
      row["from_label"] = account_label(t.debit_account);
      row["to_label"] = account_label(t.credit_account);
      row["amount_text"] = core::format_eur(t.amount_cents, context.lang);
      row["kind_label"] = translate(context.lang, "transfer_" + core::to_string(t.kind));
      row["short_hash"] = t.hash.substr(0, 12);
      rows.push_back(row);
    }
    const auto head = services.ledger.head();
    Json data = {
        {"campaign", campaign_view(services, context.lang, *view)},
        {"transfers", rows},
        {"has_transfers", !rows.empty()},
        {"pager", pager_html(context.lang, translate(context.lang, "ledger_pages"), page, more,
                             std::nullopt, "/campaigns/" + view->campaign.id + "/ledger?page=")},
        {"head_hash", head.hash},
        {"head_count", head.seq},
        {"title", translate(context.lang, "ledger_title") + " · " + view->campaign.title}};
    return render_page(services, context, "ledger", data, "");
  });

  router.add("POST", "/campaigns/{id}/pledge", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto id = request.id<core::CampaignId>();
    const Form form = form_of(request);
    // Without an account: a guest's address and name, else the login.
    const bool guest = !context.user && form.count("guest_email");
    if (!context.user && !guest)
      return redirect_response("/login?next=" + percent_encode("/campaigns/" + id));
    if (!csrf_valid(services, request, form)) return render_error_page(services, request, 403);
    auto view = services.campaigns.get(context.user, id);
    if (!view) return not_found_page(services, request);
    app::PledgeInput input;
    if (guest) input.guest = app::GuestInput{field(form, "guest_email"), field(form, "guest_name")};
    // A tax receipt, when its name is given (the details open for it).
    input.receipt = receipt_of(form);
    const auto amount = euros_field(form, "amount");
    input.amount_cents = amount.value_or(0);
    if (!field(form, "reward_id").empty()) input.reward_id = field(form, "reward_id");
    input.payment_method = field(form, "payment_method");
    input.anonymous = field(form, "anonymous") == "on";
    if (!field(form, "message").empty()) input.message = field(form, "message");
    const Json fingerprint = {
        {"amount_cents", input.amount_cents},
        {"reward_id", input.reward_id.value_or("")},
        {"payment_method", input.payment_method},
        {"anonymous", input.anonymous},
        {"message", input.message.value_or("")},
        {"guest", guest ? field(form, "guest_email") : ""},
        {"receipt",
         input.receipt
             ? field(form, "receipt_full_name") + "\n" + field(form, "receipt_address_line") +
                   "\n" + field(form, "receipt_postal_code") + "\n" + field(form, "receipt_city")
             : ""}};
    std::string pledge_id;
    auto rendered = amount
                        ? services.pledges.pledge(
                              context.user.value_or(app::Principal{}), id,
                              field(form, "idempotency_key"), fingerprint.dump(), input,
                              [](const app::PledgeOutcome& outcome) { return outcome.pledge.id; })
                        : core::Result<app::Rendered>(
                              core::Error::validation({{"amount_cents", "not an amount"}}));
    if (!rendered) {
      Json extra = {{"errors", errors_json(context.lang, rendered.error())},
                    {"values",
                     {{"amount", field(form, "amount")},
                      {"message", field(form, "message")},
                      {"reward_id", field(form, "reward_id")},
                      {"payment_method", field(form, "payment_method")},
                      {"guest_email", field(form, "guest_email")},
                      {"guest_name", field(form, "guest_name")},
                      {"receipt_full_name", field(form, "receipt_full_name")},
                      {"receipt_address_line", field(form, "receipt_address_line")},
                      {"receipt_postal_code", field(form, "receipt_postal_code")},
                      {"receipt_city", field(form, "receipt_city")},
                      {"anonymous", input.anonymous}}}};
      return render_campaign_page(services, context, *view, extra,
                                  status_of(rendered.error().kind));
    }
    // A guest has no page of their own yet: the mail is their receipt.
    if (guest) return redirect_response("/campaigns/" + id + "?done=guest_thanks#pledge");
    return redirect_response("/pledges/" + rendered->body + "?done=thanks");
  });
}

void add_pledge_pages(Router& router, Services& services) {
  router.add("GET", "/pledges/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto outcome = services.pledges.get(*context.user, request.params["id"]);
    if (!outcome) return render_error_page(services, request, status_of(outcome.error().kind));
    auto campaign = services.campaigns.get(context.user, outcome->pledge.campaign_id);
    Json data = {{"pledge", pledge_view(context.lang, outcome->pledge)},
                 {"is_backer", outcome->pledge.user_id == context.user->user_id}};
    if (campaign) data["campaign"] = campaign_view(services, context.lang, *campaign);
    if (outcome->transfer) {
      data["transfer_html"] = transfer_html(context.lang, *outcome->transfer, "transfer_intro");
    }
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang, "notice_pledge_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "pledge", data, "pledge_title");
  });

  for (const std::string action : {"confirm", "cancel"}) {
    add_page_form(router, services, "/pledges/{id}/" + action,
                  [&services, action](Request& request, PageContext& context, const Form& form) {
                    const std::string& id = request.params["id"];
                    if (action == "cancel") {
                      if (auto ask = confirmation_first(
                              services, context, request, form, "confirm_pledge_cancel",
                              safe_next(field(form, "back"), "/pledges/" + id)))
                        return *ask;
                    }
                    auto outcome = action == "confirm" ? services.pledges.confirm(*context.user, id)
                                                       : services.pledges.cancel(*context.user, id);
                    if (!outcome)
                      return render_error_page(services, request, status_of(outcome.error().kind));
                    return redirect_response(safe_next(field(form, "back"), "/pledges/" + id) +
                                             "?done=" + action + "ed");
                  });
  }

  router.add("GET", "/orgs/{id}/transfers", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    auto pending = services.pledges.pending_of_org(*context.user, org_id);
    if (!pending) return render_error_page(services, request, status_of(pending.error().kind));
    auto org = services.orgs.get(org_id);
    Json rows = Json::array();
    for (const auto& pledge : *pending) rows.push_back(pledge_view(context.lang, pledge));
    Json data = {{"org", org_json(*org)}, {"pledges", rows}, {"has_pledges", !rows.empty()}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang, "notice_pledge_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "transfers", data, "transfers_title");
  });
}

core::CampaignInput input_from_form(const Form& form,
                                    std::map<std::string, std::string>& problems) {
  core::CampaignInput input;
  input.title = field(form, "title");
  input.summary = field(form, "summary");
  input.description_md = field(form, "description_md");
  input.category = field(form, "category");
  input.kind = field(form, "kind") == "loan" ? "loan" : "donation";
  input.funding_model = field(form, "funding_model");
  if (input.kind == "loan") {
    // A rate in percent with at most two decimals is a number of basis
    // points the way an amount in euros is a number of cents.
    core::LoanTerms terms;
    if (auto rate = core::parse_eur(field(form, "loan_rate")))
      terms.annual_rate_bp = *rate;
    else
      problems["loan.annual_rate_bp"] = "not a rate";
    terms.term_months = std::atoll(field(form, "loan_term").c_str());
    terms.repayment = field(form, "loan_repayment");
    if (!field(form, "loan_cap").empty()) {
      if (auto cap = euros_field(form, "loan_cap"))
        terms.max_per_lender_cents = *cap;
      else
        problems["loan.max_per_lender_cents"] = "not an amount";
    }
    input.loan = terms;
  }
  if (auto goal = euros_field(form, "goal"))
    input.goal_cents = *goal;
  else
    problems["goal_cents"] = "not an amount";
  // A date: the campaign ends at the end of that day, Paris time.
  if (auto ends = core::parse_paris_date_time(field(form, "ends_on"), "23:59:59"))
    input.ends_at = *ends;
  else
    problems["ends_at"] = "not a date";
  for (int idx = 1; idx <= 3; ++idx) {
    const std::string prefix = "reward" + std::to_string(idx) + "_";
    if (field(form, prefix + "title").empty()) continue;
    core::RewardInput reward;
    reward.title = field(form, prefix + "title");
    reward.description = field(form, prefix + "description");
    if (auto min = euros_field(form, prefix + "min")) reward.min_amount_cents = *min;
    if (!field(form, prefix + "quantity").empty()) {
      reward.quantity_limit = std::atoll(field(form, prefix + "quantity").c_str());
    }
    if (input.kind == "donation") input.rewards.push_back(reward);
  }
  return input;
}

// The campaign form, for a new campaign or a draft, with what was typed and
// the errors when there are some.
Response render_campaign_form(Services& services, const PageContext& context,
                              const app::OrgRecord& org, const std::string& action,
                              const Form& form, const std::optional<core::Error>& error,
                              bool editing, bool rewards_locked) {
  Json values = form;
  values.erase("_csrf");
  Json rewards = Json::array();
  for (int idx = 1; idx <= 3; ++idx) {
    const std::string prefix = "reward" + std::to_string(idx) + "_";
    rewards.push_back({{"n", idx},
                       {"title", field(form, prefix + "title")},
                       {"description", field(form, prefix + "description")},
                       {"min", field(form, prefix + "min")},
                       {"quantity", field(form, prefix + "quantity")}});
  }
  Json data = {{"org", org_json(org)},
               {"form_action", action},
               {"editing", editing},
               {"rewards_locked", rewards_locked},
               {"categories", options_json(context.lang, "category_", core::kCategories,
                                           field(form, "category"))},
               {"values", values},
               {"keep_it_all", field(form, "funding_model") == "keep_it_all"},
               {"is_loan", field(form, "kind") == "loan"},
               {"linear", field(form, "loan_repayment") == "linear"},
               {"rewards", rewards}};
  if (error) data["errors"] = errors_json(context.lang, *error);
  return render_page(services, context, "campaign_new", data,
                     editing ? "campaign_edit_title" : "campaign_new_title",
                     error ? status_of(error->kind) : 200);
}

void add_campaign_admin_pages(Router& router, Services& services) {
  router.add("GET", "/orgs/{id}/campaigns/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto org = services.orgs.get(request.id<core::OrgId>());
    if (!org) return not_found_page(services, request);
    return render_campaign_form(services, context, *org, "/orgs/" + org->id + "/campaigns/new",
                                Form{{"category", "solidarity"},
                                     {"loan_rate", "0"},
                                     {"loan_term", "36"},
                                     {"loan_repayment", "annuity"}},
                                std::nullopt, false, false);
  });

  add_page_form(
      router, services, "/orgs/{id}/campaigns/new",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        auto org = services.orgs.get(org_id);
        if (!org) return not_found_page(services, request);
        std::map<std::string, std::string> problems;
        const auto input = input_from_form(form, problems);
        auto created = problems.empty()
                           ? services.campaigns.create(*context.user, org_id, input)
                           : core::Result<app::CampaignView>(core::Error::validation(problems));
        if (!created) {
          if (created.error().kind == core::ErrorKind::forbidden)
            return render_error_page(services, request, 403);
          return render_campaign_form(services, context, *org, "/orgs/" + org_id + "/campaigns/new",
                                      form, created.error(), false, false);
        }
        return redirect_response("/campaigns/" + created->campaign.id + "?done=created");
      });

  router.add("GET", "/campaigns/{id}/edit", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto view = services.campaigns.get(context.user, request.id<core::CampaignId>());
    if (!view) return not_found_page(services, request);
    const auto& c = view->campaign;
    if (!app::campaign_allows(*context.user, services.orgs.role_of(context.user->user_id, c.org_id),
                              app::CampaignActionKind::manage)) {
      return render_error_page(services, request, 403);
    }
    if (c.status != core::CampaignStatus::draft) return redirect_response("/campaigns/" + c.id);
    Form values = {{"title", c.title},
                   {"summary", c.summary},
                   {"description_md", c.description_md},
                   {"category", c.category},
                   {"funding_model", core::to_string(c.funding_model)},
                   {"goal", core::format_decimal(c.goal_cents)},
                   {"ends_on", core::paris_date_field(c.ends_at)},
                   {"kind", core::to_string(c.kind)}};
    if (c.loan) {
      values["loan_rate"] = core::format_hundredths(c.loan->annual_rate_bp);
      values["loan_term"] = std::to_string(c.loan->term_months);
      values["loan_repayment"] = c.loan->repayment;
      if (c.loan->max_per_lender_cents)
        values["loan_cap"] = core::format_decimal(*c.loan->max_per_lender_cents);
    }
    for (std::size_t idx = 0; idx < view->rewards.size() && idx < 3; ++idx) {
      const auto& reward = view->rewards[idx];
      const std::string prefix = "reward" + std::to_string(idx + 1) + "_";
      values[prefix + "title"] = reward.title;
      values[prefix + "description"] = reward.description;
      values[prefix + "min"] = core::format_decimal(reward.min_amount_cents);
      values[prefix + "quantity"] =
          reward.quantity_limit ? std::to_string(*reward.quantity_limit) : "";
    }
    auto org = services.orgs.get(c.org_id);
    return render_campaign_form(services, context, *org, "/campaigns/" + c.id + "/edit", values,
                                std::nullopt, true, view->rewards.size() > 3);
  });

  add_page_form(
      router, services, "/campaigns/{id}/edit",
      [&services](Request& request, PageContext& context, const Form& form) {
        auto view = services.campaigns.get(context.user, request.id<core::CampaignId>());
        if (!view) return not_found_page(services, request);
        std::map<std::string, std::string> problems;
        const auto input = input_from_form(form, problems);
        const bool rewards_locked = view->rewards.size() > 3;
        app::CampaignPatch patch;
        patch.title = input.title;
        patch.summary = input.summary;
        patch.description_md = input.description_md;
        patch.category = input.category;
        patch.funding_model = input.funding_model;
        patch.goal_cents = input.goal_cents;
        patch.ends_at = input.ends_at;
        patch.kind = input.kind;
        patch.loan = input.loan;
        if (!rewards_locked) patch.rewards = input.rewards;
        const core::CampaignId& id = view->campaign.id;
        auto updated = problems.empty()
                           ? services.campaigns.update(*context.user, id, patch)
                           : core::Result<app::CampaignView>(core::Error::validation(problems));
        if (!updated) {
          const auto kind = updated.error().kind;
          if (kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(kind));
          auto org = services.orgs.get(view->campaign.org_id);
          return render_campaign_form(services, context, *org, "/campaigns/" + id + "/edit", form,
                                      updated.error(), true, rewards_locked);
        }
        return redirect_response("/campaigns/" + id + "?done=saved");
      });

  const std::vector<std::string> actions = {"submit", "approve", "reject", "close"};
  for (const auto& action : actions) {
    add_page_form(
        router, services, "/campaigns/{id}/" + action,
        [&services, action](Request& request, PageContext& context, const Form& form) {
          const auto id = request.id<core::CampaignId>();
          if (action == "close") {
            if (auto ask = confirmation_first(services, context, request, form,
                                              "confirm_campaign_close", "/campaigns/" + id))
              return *ask;
          }
          auto& campaigns = services.campaigns;
          auto result = action == "submit"    ? campaigns.submit(*context.user, id)
                        : action == "approve" ? campaigns.approve(*context.user, id)
                        : action == "reject"
                            ? campaigns.reject(*context.user, id, field(form, "reason"))
                            : campaigns.close(*context.user, id);
          if (!result) {
            if (result.error().kind == core::ErrorKind::validation ||
                result.error().kind == core::ErrorKind::conflict) {
              auto view = campaigns.get(context.user, id);
              if (view) {
                return render_campaign_page(
                    services, context, *view,
                    Json{{"errors", errors_json(context.lang, result.error())}},
                    status_of(result.error().kind));
              }
            }
            return render_error_page(services, request, status_of(result.error().kind));
          }
          const bool from_queue = action == "approve" || action == "reject";
          return redirect_response(from_queue ? "/moderation?done=" + action
                                              : "/campaigns/" + id + "?done=" + action);
        });
  }

  router.add("GET", "/moderation", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    if (!app::campaign_allows(*context.user, std::nullopt, app::CampaignActionKind::review))
      return render_error_page(services, request, 403);
    app::CampaignFilter filter;
    filter.status = core::CampaignStatus::in_review;
    filter.limit = 200;
    auto list = services.campaigns.list(context.user, filter);
    Json items = Json::array();
    if (list) {
      for (const auto& view : list->items) {
        Json item = campaign_view(services, context.lang, view);
        item["description_html"] = markdown_to_html(view.campaign.description_md);
        items.push_back(item);
      }
    }
    Json data = {{"campaigns", items}, {"has_campaigns", !items.empty()}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, context.lang, "notice_review_"); !notice.empty())
      data["notice"] = notice;
    return render_page(services, context, "moderation", data, "moderation_title");
  });
}

}  // namespace

void add_campaign_pages(Router& router, Services& services) {
  add_campaign_view_pages(router, services);
  add_pledge_pages(router, services);
  add_campaign_admin_pages(router, services);
}

Json live_campaigns_json(Services& services, const std::string& lang, std::int64_t limit) {
  app::CampaignFilter filter;
  filter.status = core::CampaignStatus::live;
  filter.limit = limit;
  Json items = Json::array();
  if (auto list = services.campaigns.list(std::nullopt, filter)) {
    for (const auto& view : list->items) items.push_back(campaign_view(services, lang, view));
  }
  return items;
}

Json my_pledges_json(Services& services, const std::string& lang, const app::Principal& who,
                     const ListPage& page) {
  Json items = Json::array();
  auto pledges = services.pledges.mine(who, page.limit(), page.offset());
  const bool more = trim_to_list_page(pledges, page);
  for (const auto& mine : pledges) {
    Json item = pledge_view(lang, mine.pledge);
    item["campaign_title"] = mine.campaign_title;
    items.push_back(item);
  }
  return Json{{"items", items}, {"more", more}};
}

Json org_campaigns_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who, const core::OrgId& org_id) {
  app::CampaignFilter filter;
  filter.org_id = org_id;
  filter.limit = 100;
  Json items = Json::array();
  // Membership once for the whole list, not once per campaign.
  const bool member = who && services.orgs.role_of(who->user_id, org_id);
  if (auto list = services.campaigns.list(who, filter)) {
    for (const auto& view : list->items) {
      const bool is_public = core::is_public(view.campaign.status);
      if (is_public || member) items.push_back(campaign_view(services, lang, view));
    }
  }
  return items;
}

}  // namespace essor::web
