#include "web/json_api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "core/time.hpp"
#include "core/validation.hpp"
#include "web/render.hpp"

namespace essor::web {

int status_of(core::ErrorKind kind) {
  using K = core::ErrorKind;
  switch (kind) {
    case K::validation:
      return 400;
    case K::invalid_json:
      return 400;
    case K::unauthenticated:
      return 401;
    case K::forbidden:
      return 403;
    case K::not_found:
      return 404;
    case K::conflict:
      return 409;
    case K::payload_too_large:
      return 413;
    case K::unprocessable:
      return 422;
    case K::rate_limited:
      return 429;
    case K::unavailable:
      return 503;
    case K::internal:
      return 500;
  }
  return 500;
}

Response json_response(int status, const Json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.header("Cache-Control", "no-store");
  return response;
}

Response error_response(const core::Error& error) {
  Json body = {{"error", {{"code", error.code}, {"message", error.message}}}};
  if (!error.fields.empty()) body["error"]["fields"] = error.fields;
  Response response = json_response(status_of(error.kind), body);
  if (error.kind == core::ErrorKind::rate_limited) {
    response.header("Retry-After",
                    std::to_string(error.retry_after_s > 0 ? error.retry_after_s : 600));
  }
  if (error.kind == core::ErrorKind::unauthenticated) response.header("WWW-Authenticate", "Bearer");
  return response;
}

Response internal_error_response(std::string_view path, const std::exception& e) {
  spdlog::error(Json{{"event", "handler_failed"}, {"path", path}, {"error", e.what()}}.dump());
  return error_response(
      core::Error{core::ErrorKind::internal, "internal", "Something went wrong on our side.", {}});
}

std::optional<std::string> bearer_token(const Request& request) {
  // The scheme's name is case-insensitive (RFC 7235, section 2.1): some
  // clients send "bearer".
  const std::string_view header = request.header("authorization");
  constexpr std::string_view prefix = "bearer ";
  if (header.size() <= prefix.size() ||
      core::ascii_lower(header.substr(0, prefix.size())) != prefix)
    return std::nullopt;
  return std::string(header.substr(prefix.size()));
}

core::Result<app::Principal> require_bearer(Services& services, const Request& request) {
  if (auto token = bearer_token(request)) {
    if (auto principal = services.accounts.authenticate(*token)) return *principal;
  }
  return app::no_live_session();
}

Response document_failure(Services& services, const Request& request, const core::Error& error) {
  if (request.path.starts_with("/api/")) return error_response(error);
  return render_error_page(services, request, status_of(error.kind));
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

core::Result<PageRequest> page_request(const Request& request) {
  PageRequest page;
  const auto query = request.query_params();
  auto parse = [](const std::string& text, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  if (auto it = query.find("limit"); it != query.end()) {
    if (!parse(it->second, page.limit) || page.limit < 1 || page.limit > 200) {
      return core::Error::validation({{"limit", "must be an integer from 1 to 200"}});
    }
  }
  if (auto it = query.find("cursor"); it != query.end() && !it->second.empty()) {
    if (!parse(it->second, page.offset) || page.offset < 0) {
      return core::Error::validation({{"cursor", "not a cursor returned by this list"}});
    }
  }
  return page;
}

Response stored_answer(const app::Rendered& rendered) {
  Response response;
  response.status = rendered.status;
  response.content_type = "application/json";
  response.body = rendered.body;
  response.header("Cache-Control", "no-store");
  return response;
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

Json list_body(const Json& items, std::optional<std::int64_t> next_offset) {
  return Json{{"items", items},
              {"next", next_offset ? Json(std::to_string(*next_offset)) : Json(nullptr)}};
}

Response paged_list(const Request& request, const Json& items) {
  const auto page = page_request(request);
  if (!page) return error_response(page.error());
  const auto size = static_cast<std::int64_t>(items.size());
  const std::int64_t from = std::min(page->offset, size);
  const std::int64_t to = std::min(from + page->limit, size);
  const Json slice(items.begin() + from, items.begin() + to);
  return json_response(200, list_body(slice, to < size ? std::optional(to) : std::nullopt));
}

Json user_json(const app::Principal& principal) {
  return Json{{"id", principal.user_id},
              {"email", principal.email},
              {"display_name", principal.display_name},
              {"created_at", core::format_rfc3339(principal.created_at)},
              {"email_verified", principal.email_verified},
              {"moderator", principal.moderator}};
}

Json org_json(const app::OrgRecord& org) {
  auto opt = [](const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
  };
  return Json{{"id", org.id},
              {"name", org.name},
              {"legal_form", core::to_string(org.legal_form)},
              {"description", org.description},
              {"siren", opt(org.siren)},
              {"region", opt(org.region)},
              {"department", opt(org.department)},
              {"iban", opt(org.iban)},
              {"bic", opt(org.bic)},
              {"voting_requires_dues", org.voting_requires_dues},
              {"created_at", core::format_rfc3339(org.created_at)}};
}

Json member_json(const app::MemberRecord& member) {
  return Json{{"user_id", member.user_id},
              {"display_name", member.display_name},
              {"role", core::to_string(member.role)},
              {"joined_at", core::format_rfc3339(member.joined_at)}};
}

}  // namespace essor::web

namespace essor::web {

namespace {
Json optional_text(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}
Json optional_time(const std::optional<core::TimestampMs>& value) {
  return value ? Json(core::format_rfc3339(*value)) : Json(nullptr);
}
}  // namespace

Json campaign_json(const app::CampaignView& view) {
  const auto& c = view.campaign;
  Json rewards = Json::array();
  for (const auto& reward : view.rewards) {
    rewards.push_back(Json{
        {"id", reward.id},
        {"title", reward.title},
        {"description", reward.description},
        {"min_amount_cents", reward.min_amount_cents},
        {"value_cents", reward.value_cents.value_or(reward.min_amount_cents)},
        {"quantity_limit", reward.quantity_limit ? Json(*reward.quantity_limit) : Json(nullptr)},
        {"claimed", reward.claimed},
        {"remaining",
         reward.quantity_limit ? Json(*reward.quantity_limit - reward.claimed) : Json(nullptr)}});
  }
  Json loan = nullptr;
  if (c.loan) {
    loan =
        Json{{"annual_rate_bp", c.loan->annual_rate_bp},
             {"term_months", c.loan->term_months},
             {"repayment", c.loan->repayment},
             {"max_per_lender_cents",
              c.loan->max_per_lender_cents ? Json(*c.loan->max_per_lender_cents) : Json(nullptr)}};
  }
  return Json{{"id", c.id},
              {"org_id", c.org_id},
              {"org_name", view.org_name},
              {"title", c.title},
              {"summary", c.summary},
              {"description_md", c.description_md},
              {"category", c.category},
              {"kind", core::to_string(c.kind)},
              {"goal_cents", c.goal_cents},
              {"ends_at", core::format_rfc3339(c.ends_at)},
              {"funding_model", core::to_string(c.funding_model)},
              {"status", core::to_string(c.status)},
              {"reject_reason", optional_text(c.reject_reason)},
              {"raised_cents", view.totals.raised_cents},
              {"pledged_cents", view.totals.pledged_cents},
              {"backers_count", view.totals.backers_count},
              {"matched_cents", view.totals.matched_cents},
              {"currency", "EUR"},
              {"cover_url", view.cover_hash ? Json("/campaigns/" + c.id +
                                                   "/cover?v=" + view.cover_hash->substr(0, 16))
                                            : Json(nullptr)},
              {"rewards", rewards},
              {"loan", loan},
              {"created_at", core::format_rfc3339(c.created_at)},
              {"published_at", optional_time(c.published_at)},
              {"resolved_at", optional_time(c.resolved_at)}};
}

Json pledge_json(const app::PledgeRecord& p) {
  return Json{{"id", p.id},
              {"campaign_id", p.campaign_id},
              {"user_id", p.user_id},
              {"amount_cents", p.amount_cents},
              {"reward_id", optional_text(p.reward_id)},
              {"status", core::to_string(p.status)},
              {"payment_method", core::to_string(p.payment_method)},
              {"anonymous", p.anonymous},
              {"message", optional_text(p.message)},
              {"reference", p.reference},
              {"created_at", core::format_rfc3339(p.created_at)}};
}

Json tax_receipts_json(const app::ReceiptSettings& s) {
  return Json{{"enabled", s.enabled},
              {"legal_basis", core::to_string(s.legal_basis)},
              {"object", s.object},
              {"address", s.address},
              {"signatory", s.signatory}};
}

std::optional<app::DonorDetails> receipt_field(const Json& body,
                                               std::map<std::string, std::string>& problems) {
  const auto it = body.find("receipt");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) {
    problems["receipt"] = "must be {full_name, address_line, postal_code, city}";
    return std::nullopt;
  }
  std::map<std::string, std::string> inner;
  app::DonorDetails donor;
  donor.full_name = required_string(*it, "full_name", inner).value_or("");
  donor.address_line = required_string(*it, "address_line", inner).value_or("");
  donor.postal_code = required_string(*it, "postal_code", inner).value_or("");
  donor.city = required_string(*it, "city", inner).value_or("");
  for (auto& [name, problem] : inner) problems["receipt." + name] = problem;
  return donor;
}

std::optional<app::GuestInput> guest_field(const Json& body,
                                           std::map<std::string, std::string>& problems) {
  const auto it = body.find("guest");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) {
    problems["guest"] = "must be {email, display_name}";
    return std::nullopt;
  }
  std::map<std::string, std::string> inner;
  app::GuestInput guest;
  guest.email = required_string(*it, "email", inner).value_or("");
  guest.display_name = required_string(*it, "display_name", inner).value_or("");
  for (auto& [name, problem] : inner) problems["guest." + name] = problem;
  return guest;
}

Json payment_block(const std::optional<app::TransferInstructions>& transfer,
                   core::PaymentMethod method, const std::string& status) {
  if (transfer) {
    const auto& t = *transfer;
    return Json{{"method", core::to_string(core::PaymentMethod::bank_transfer)},
                {"iban", t.iban},
                {"bic", t.bic},
                {"beneficiary", t.beneficiary},
                {"reference", t.reference},
                {"amount_cents", t.amount_cents},
                {"epc_qr_svg", t.epc_qr_svg}};
  }
  return Json{{"method", core::to_string(method)},
              {"status", status},
              {"test_payment", method == core::PaymentMethod::sandbox_card}};
}

Json payment_json(const app::PledgeOutcome& outcome) {
  return payment_block(outcome.transfer, outcome.pledge.payment_method,
                       core::to_string(outcome.pledge.status));
}

Json personal_data_json(const std::vector<app::PersonalTable>& tables, core::TimestampMs now) {
  Json out = Json::object();
  for (const auto& table : tables) {
    Json rows = Json::array();
    for (const auto& row : table.rows) {
      Json fields = Json::object();
      for (const auto& [column, value] : row) {
        switch (value.kind) {
          case app::PersonalValue::Kind::null:
            fields[column] = nullptr;
            break;
          case app::PersonalValue::Kind::integer:
            fields[column] = value.integer;
            break;
          case app::PersonalValue::Kind::text:
            fields[column] = value.text;
            break;
        }
      }
      rows.push_back(std::move(fields));
    }
    out[table.name] = std::move(rows);
  }
  return Json{{"format", "essor-personal-data-v1"},
              {"exported_at", core::format_rfc3339(now)},
              {"tables", std::move(out)}};
}

Json invitation_json(const app::InvitationRecord& i) {
  return Json{{"id", i.id},
              {"status", core::to_string(i.status)},
              {"kind", core::to_string(i.target_kind)},
              {"target_id", i.target_id},
              {"expires_at", core::format_rfc3339(i.expires_at)}};
}

Json transfer_json(const core::Transfer& t) {
  return Json{{"id", t.id},
              {"seq", t.seq},
              {"debit_account", t.debit_account},
              {"credit_account", t.credit_account},
              {"amount_cents", t.amount_cents},
              {"kind", core::to_string(t.kind)},
              {"pledge_id", optional_text(t.pledge_id)},
              {"campaign_id", optional_text(t.campaign_id)},
              {"created_at", core::format_rfc3339(t.created_at)},
              {"created_at_ms", t.created_at},
              {"prev_hash", t.prev_hash},
              {"hash", t.hash}};
}

std::optional<app::Principal> optional_bearer(Services& services, const Request& request) {
  if (auto token = bearer_token(request)) return services.accounts.authenticate(*token);
  return std::nullopt;
}

std::optional<app::Principal> reader_of(Services& services, const Request& request) {
  if (auto who = optional_bearer(services, request)) return who;
  if (request.path.starts_with("/api/")) return std::nullopt;
  if (auto cookie = request.cookie(kSessionCookie)) return services.accounts.authenticate(*cookie);
  return std::nullopt;
}

Json guest_fingerprint(const std::optional<app::GuestInput>& guest) {
  if (!guest) return Json(nullptr);
  return Json{{"email", guest->email}, {"display_name", guest->display_name}};
}

Json receipt_fingerprint(const std::optional<app::DonorDetails>& receipt) {
  if (!receipt) return Json(nullptr);
  return Json{{"full_name", receipt->full_name},
              {"address_line", receipt->address_line},
              {"postal_code", receipt->postal_code},
              {"city", receipt->city}};
}

}  // namespace essor::web
