// JSON API, spec "Campaigns", "Pledges" and "Ledger".
#include <charconv>

#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

// The string a field holds, if any (json_api's string_field, without the
// absent/null distinction a creation does not need).
std::optional<std::string> text_field(const Json& body, const std::string& name,
                                      std::map<std::string, std::string>& problems) {
  return string_field(body, name.c_str(), problems).value;
}

std::optional<std::vector<core::RewardInput>> rewards_field(
    const Json& body, std::map<std::string, std::string>& problems) {
  const auto it = body.find("rewards");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() > core::kMaxRewards) {
    problems["rewards"] = "must be a list of at most 50 rewards";
    return std::nullopt;
  }
  std::vector<core::RewardInput> rewards;
  for (std::size_t idx = 0; idx < it->size(); ++idx) {
    const Json& item = (*it)[idx];
    const std::string prefix = "rewards[" + std::to_string(idx) + "].";
    if (!item.is_object()) {
      problems["rewards[" + std::to_string(idx) + "]"] = "must be an object";
      continue;
    }
    std::map<std::string, std::string> inner;
    core::RewardInput reward;
    reward.title = text_field(item, "title", inner).value_or("");
    reward.description = text_field(item, "description", inner).value_or("");
    reward.min_amount_cents = cents_field(item, "min_amount_cents", inner).value_or(0);
    reward.quantity_limit = int_field(item, "quantity_limit", inner);
    reward.value_cents = cents_field(item, "value_cents", inner);
    for (auto& [field, problem] : inner) problems[prefix + field] = problem;
    rewards.push_back(std::move(reward));
  }
  return rewards;
}

std::optional<std::optional<core::LoanTerms>> loan_field(
    const Json& body, std::map<std::string, std::string>& problems) {
  const auto it = body.find("loan");
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<core::LoanTerms>{};
  if (!it->is_object()) {
    problems["loan"] = "must be an object";
    return std::nullopt;
  }
  std::map<std::string, std::string> inner;
  core::LoanTerms loan;
  loan.annual_rate_bp = int_field(*it, "annual_rate_bp", inner).value_or(-1);
  loan.term_months = int_field(*it, "term_months", inner).value_or(0);
  loan.repayment = text_field(*it, "repayment", inner).value_or("");
  loan.max_per_lender_cents = cents_field(*it, "max_per_lender_cents", inner);
  for (auto& [field, problem] : inner) problems["loan." + field] = problem;
  return std::optional<core::LoanTerms>(loan);
}

// The fields of a creation or a patch.
core::Result<app::CampaignPatch> campaign_patch(const Json& body) {
  std::map<std::string, std::string> problems;
  app::CampaignPatch patch;
  patch.title = text_field(body, "title", problems);
  patch.summary = text_field(body, "summary", problems);
  patch.description_md = text_field(body, "description_md", problems);
  patch.category = text_field(body, "category", problems);
  patch.kind = text_field(body, "kind", problems);
  patch.funding_model = text_field(body, "funding_model", problems);
  patch.goal_cents = cents_field(body, "goal_cents", problems);
  if (auto ends = text_field(body, "ends_at", problems)) {
    if (auto instant = core::parse_rfc3339(*ends))
      patch.ends_at = *instant;
    else
      problems["ends_at"] = "must be an RFC 3339 time, e.g. 2027-03-31T22:00:00Z";
  }
  patch.rewards = rewards_field(body, problems);
  patch.loan = loan_field(body, problems);
  if (!problems.empty()) return core::Error::validation(std::move(problems));
  return patch;
}

Response campaign_response(int status, const core::Result<app::CampaignView>& view) {
  if (!view) return error_response(view.error());
  return json_response(status, Json{{"campaign", campaign_json(*view)}});
}

}  // namespace

void add_campaign_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/campaigns",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto org_id = text_field(*body, "org_id", problems);
            auto patch = campaign_patch(*body);
            if (!patch) {
              for (const auto& [field, problem] : patch.error().fields) problems[field] = problem;
            }
            if (!org_id) problems.emplace("org_id", "required");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            core::CampaignInput input;
            input.title = patch->title.value_or("");
            input.summary = patch->summary.value_or("");
            input.description_md = patch->description_md.value_or("");
            input.category = patch->category.value_or("");
            input.kind = patch->kind.value_or("");
            input.funding_model = patch->funding_model.value_or("");
            input.goal_cents = patch->goal_cents.value_or(0);
            input.ends_at = patch->ends_at.value_or(0);
            input.rewards = patch->rewards.value_or(std::vector<core::RewardInput>{});
            input.loan = patch->loan.value_or(std::nullopt);
            return campaign_response(201,
                                     services.campaigns.create(who, core::OrgId{*org_id}, input));
          });

  add_api(router, services, "PATCH", "/api/v1/campaigns/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            auto patch = campaign_patch(*body);
            if (!patch) return error_response(patch.error());
            return campaign_response(
                200, services.campaigns.update(who, request.id<core::CampaignId>(), *patch));
          });

  const std::vector<std::pair<std::string, int>> actions = {
      {"submit", 0}, {"approve", 1}, {"close", 2}};
  for (const auto& [action, which] : actions) {
    add_api(router, services, "POST", "/api/v1/campaigns/{id}/" + action,
            [&services, which](Request& request, const app::Principal& who) {
              const auto id = request.id<core::CampaignId>();
              if (which == 0) return campaign_response(200, services.campaigns.submit(who, id));
              if (which == 1) return campaign_response(200, services.campaigns.approve(who, id));
              return campaign_response(200, services.campaigns.close(who, id));
            });
  }

  add_api(router, services, "POST", "/api/v1/campaigns/{id}/reject",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto reason = text_field(*body, "reason", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return campaign_response(200,
                                     services.campaigns.reject(who, request.id<core::CampaignId>(),
                                                               reason.value_or("")));
          });

  router.add("GET", "/api/v1/campaigns/{id}", [&services](Request& request) {
    return campaign_response(200, services.campaigns.get(optional_bearer(services, request),
                                                         request.id<core::CampaignId>()));
  });

  router.add("GET", "/api/v1/campaigns", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    const auto query = request.query_params();
    app::CampaignFilter filter;
    auto param = [&query](const char* name) -> std::optional<std::string> {
      const auto it = query.find(name);
      if (it == query.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    if (const auto status = param("status")) {
      filter.status = core::parse_status(*status);
      if (!filter.status) {
        return error_response(core::Error::validation(
            {{"status", "must be one of draft, in_review, live, succeeded, failed"}}));
      }
    }
    filter.category = param("category");
    filter.org_id = core::optional_id<core::OrgId>(param("org_id"));
    filter.query = param("q");
    filter.limit = page->limit;
    filter.offset = page->offset;
    auto list = services.campaigns.list(optional_bearer(services, request), filter);
    if (!list) return error_response(list.error());
    Json items = Json::array();
    for (const auto& view : list->items) items.push_back(campaign_json(view));
    return json_response(200, list_body(items, list->next_offset));
  });

  router.add("GET", "/api/v1/campaigns/{id}/ledger", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto campaign =
        services.campaigns.get(optional_bearer(services, request), request.id<core::CampaignId>());
    if (!campaign) return error_response(campaign.error());
    auto transfers =
        services.ledger.of_campaign(campaign->campaign.id, page->limit + 1, page->offset);
    const auto next = trim_to_page(transfers, *page);
    Json items = Json::array();
    for (const auto& transfer : transfers) items.push_back(transfer_json(transfer));
    return json_response(200, list_body(items, next));
  });

  add_api(router, services, "PUT", "/api/v1/campaigns/{id}/cover",
          [&services](Request& request, const app::Principal& who) {
            return campaign_response(200, services.campaigns.set_cover(
                                              who, request.id<core::CampaignId>(), request.body));
          });

  // The whole chain, for anyone to check (spec "Public ledger, whole
  // chain"; the hashing is written down in docs/ledger.md).
  router.add("GET", "/api/v1/ledger/transfers", [&services](Request& request) {
    std::map<std::string, std::string> problems;
    const auto query = request.query_params();
    auto number = [&](const char* name, std::int64_t fallback, std::int64_t lo,
                      std::int64_t hi) -> std::int64_t {
      const auto it = query.find(name);
      if (it == query.end()) return fallback;
      std::int64_t value = 0;
      const auto [end, ec] =
          std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
      if (ec != std::errc() || end != it->second.data() + it->second.size() || value < lo ||
          value > hi) {
        problems[name] =
            "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
        return fallback;
      }
      return value;
    };
    const std::int64_t after = number("after_seq", 0, 0, std::int64_t{1} << 53);
    const std::int64_t limit = number("limit", 100, 1, 1000);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    const auto transfers = services.ledger.after(after, limit);
    Json items = Json::array();
    for (const auto& transfer : transfers) items.push_back(transfer_json(transfer));
    const std::int64_t next = transfers.empty() ? after : transfers.back().seq;
    Json body = {{"items", items},
                 {"next_after_seq",
                  static_cast<std::int64_t>(transfers.size()) == limit ? Json(next) : Json()}};
    return json_response(200, body);
  });

  router.add("GET", "/api/v1/ledger/head", [&services](Request&) {
    const auto head = services.ledger.head();
    return json_response(200, Json{{"transfers_count", head.seq}, {"head_hash", head.hash}});
  });
}

void add_pledge_routes(Router& router, Services& services) {
  // Deferred: its thread goes back to the pool while the pledge's write
  // waits for its group commit (the writer replies).
  router.add_deferred(
      "POST", "/api/v1/campaigns/{id}/pledges", [&services](Request& request, Reply reply) {
        // Signed in, or a guest giving only an address and a name. On
        // PostgreSQL the pledge's own transaction checks the session
        // (Accounts::asker): nothing here waits for the database.
        const auto token = bearer_token(request);
        const bool has_token = token.has_value();
        std::optional<app::Asker> who = app::Asker{app::Principal{}};
        if (has_token) who = services.accounts.asker(*token);
        if (!who) {
          return reply(error_response(app::no_live_session()));
        }
        auto body = parse_json_object(request);
        if (!body) return reply(error_response(body.error()));
        std::map<std::string, std::string> problems;
        app::PledgeInput input;
        if (!has_token) {
          input.guest = guest_field(*body, problems);
          if (!input.guest && problems.empty())
            return reply(error_response(core::Error::unauthenticated()));
        }
        const auto amount = cents_field(*body, "amount_cents", problems);
        if (!amount && !problems.count("amount_cents")) problems["amount_cents"] = "required";
        input.amount_cents = amount.value_or(0);
        input.reward_id = text_field(*body, "reward_id", problems);
        input.payment_method = text_field(*body, "payment_method", problems).value_or("");
        if (const auto it = body->find("anonymous"); it != body->end() && !it->is_null()) {
          if (it->is_boolean())
            input.anonymous = it->get<bool>();
          else
            problems["anonymous"] = "must be true or false";
        }
        input.message = text_field(*body, "message", problems);
        input.receipt = receipt_field(*body, problems);
        if (!problems.empty()) return reply(error_response(core::Error::validation(problems)));
        // The canonical form of what was asked: the same key with anything else is 422.
        const Json fingerprint = {
            {"amount_cents", input.amount_cents},
            {"reward_id", input.reward_id ? Json(*input.reward_id) : Json(nullptr)},
            {"payment_method", input.payment_method},
            {"anonymous", input.anonymous},
            {"message", input.message ? Json(*input.message) : Json(nullptr)},
            {"guest", guest_fingerprint(input.guest)},
            {"receipt", receipt_fingerprint(input.receipt)}};
        const std::string key(request.header("idempotency-key"));
        services.pledges.pledge_then(
            std::move(*who), request.id<core::CampaignId>(), key, fingerprint.dump(), input,
            [](const app::PledgeOutcome& outcome) {
              return Json{{"pledge", pledge_json(outcome.pledge)},
                          {"payment", payment_json(outcome)}}
                  .dump();
            },
            [reply, path = request.path](app::Later<app::Rendered> later) {
              Response response;
              try {
                auto& rendered = later.get();
                response = rendered ? stored_answer(*rendered) : error_response(rendered.error());
              } catch (const std::exception& e) {
                response = internal_error_response(path, e);
              }
              reply(std::move(response));
            });
      });

  auto pledge_action = [&services](const char* which) {
    return [&services, which](Request& request) {
      auto who = require_bearer(services, request);
      if (!who) return error_response(who.error());
      const std::string& id = request.params["id"];
      const std::string_view action(which);
      auto outcome = action == "confirm"  ? services.pledges.confirm(*who, id)
                     : action == "cancel" ? services.pledges.cancel(*who, id)
                                          : services.pledges.get(*who, id);
      if (!outcome) return error_response(outcome.error());
      Json body = {{"pledge", pledge_json(outcome->pledge)}};
      if (outcome->transfer) body["payment"] = payment_json(*outcome);
      return json_response(200, body);
    };
  };
  router.add("POST", "/api/v1/pledges/{id}/confirm", pledge_action("confirm"));
  router.add("POST", "/api/v1/pledges/{id}/cancel", pledge_action("cancel"));
  router.add("GET", "/api/v1/pledges/{id}", pledge_action("get"));

  add_api(router, services, "GET", "/api/v1/me/pledges",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto pledges = services.pledges.mine(who, page->limit + 1, page->offset);
            const auto next = trim_to_page(pledges, *page);
            Json items = Json::array();
            for (const auto& mine : pledges) {
              Json item = pledge_json(mine.pledge);
              item["campaign_title"] = mine.campaign_title;
              items.push_back(std::move(item));
            }
            return json_response(200, list_body(items, next));
          });
}

}  // namespace essor::web
