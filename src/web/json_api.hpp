// Helpers shared by the JSON API handlers: body parsing, the error body of
// spec/api.md, authentication by bearer token, list paging, and the JSON
// shapes of users, organisations and members.
#pragma once

#include <exception>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.hpp"
#include "web/http.hpp"
#include "web/json_body.hpp"
#include "web/services.hpp"

namespace essor::web {

int status_of(core::ErrorKind kind);
Response json_response(int status, const Json& body);
Response error_response(const core::Error& error);
// The API's 500 for a handler that threw at path, logged (handler_failed).
Response internal_error_response(std::string_view path, const std::exception& e);

// 204 with no body.
Response no_content();
// The answer stored with an Idempotency-Key (app/idempotency.hpp), given
// as it was the first time; never kept by caches.
Response stored_answer(const app::Rendered& rendered);

// The principal of the bearer token, or 401 unauthenticated.
core::Result<app::Principal> require_bearer(Services& services, const Request& request);
std::optional<std::string> bearer_token(const Request& request);
// The principal of the bearer token, if there is a valid one.
std::optional<app::Principal> optional_bearer(Services& services, const Request& request);
// For documents served both under /api/v1 and at the pages' addresses: the
// bearer token, or (pages' addresses only) the session cookie.
std::optional<app::Principal> reader_of(Services& services, const Request& request);
// The failure of such a document: the JSON error under /api/, the error
// page at the pages' addresses.
Response document_failure(Services& services, const Request& request, const core::Error& error);
// A whole number written in digits only ("12"), or nothing.
std::optional<std::int64_t> whole_number(std::string_view text);

struct PageRequest {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
// ?limit= (1..200, default 50) and ?cursor= (opaque); 400 when malformed.
core::Result<PageRequest> page_request(const Request& request);
Json list_body(const Json& items, std::optional<std::int64_t> next_offset);
// A whole list (one a use case gives entire: an organisation's votes, a
// person's sessions…) served as the contract's page of it: ?limit= and
// ?cursor= as page_request reads them (400 when malformed), `next` the
// cursor of the rest or null.
Response paged_list(const Request& request, const Json& items);
// rows as read for page (page.limit + 1 of them from page.offset): the
// extra one taken off, and the next page's cursor when there was one.
template <class Row>
std::optional<std::int64_t> trim_to_page(std::vector<Row>& rows, const PageRequest& page) {
  if (static_cast<std::int64_t>(rows.size()) <= page.limit) return std::nullopt;
  rows.resize(static_cast<std::size_t>(page.limit));
  return page.offset + page.limit;
}

Json user_json(const app::Principal& principal);
Json proposal_json(const app::ProposalRecord& proposal);
// A proposal's voting terms from a body: method, options, closes_at,
// quorum_pct, threshold_pct, secret (title and body_md aside).
app::ProposalInput proposal_input(const Json& body, std::map<std::string, std::string>& problems);
Json org_json(const app::OrgRecord& org);
Json member_json(const app::MemberRecord& member);
Json campaign_json(const app::CampaignView& view);
Json pledge_json(const app::PledgeRecord& pledge);
// The payment part of a pledge's answer: transfer instructions (bank
// transfer) or the test provider's confirmation (sandbox card).
Json payment_json(const app::PledgeOutcome& outcome);
// The organisation's tax receipts settings (public: what its receipts say).
Json tax_receipts_json(const app::ReceiptSettings& settings);
// A donor's details for a tax receipt: `receipt: {full_name,
// address_line, postal_code, city}` in a body (nothing when absent).
std::optional<app::DonorDetails> receipt_field(const Json& body,
                                               std::map<std::string, std::string>& problems);
// Giving without an account: `guest: {email, display_name}` (nothing when absent).
std::optional<app::GuestInput> guest_field(const Json& body,
                                           std::map<std::string, std::string>& problems);
// Their canonical form in a request's fingerprint (the same Idempotency-Key
// with other details is 422): null when not given.
Json guest_fingerprint(const std::optional<app::GuestInput>& guest);
Json receipt_fingerprint(const std::optional<app::DonorDetails>& receipt);
Json payment_block(const std::optional<app::TransferInstructions>& transfer,
                   core::PaymentMethod method, const std::string& status);
// A GDPR export: {exported_at, format, tables: {name: [row…]}}, times in
// milliseconds as stored, described in docs/api.md.
Json personal_data_json(const std::vector<app::PersonalTable>& tables, core::TimestampMs now);
// {id, status, kind, target_id, expires_at}: never the address invited.
Json invitation_json(const app::InvitationRecord& invitation);
Json transfer_json(const core::Transfer& transfer);

// Matchfunding and the territorial open data (api_calls.cpp).
Json call_json(const app::CallRecord& call);
Json application_json(const app::ApplicationRecord& application);
Json territory_json(const app::TerritoryLine& line);
inline constexpr const char* kEtalabLicence = "Licence Ouverte / Etalab 2.0";
inline constexpr const char* kEtalabLicenceUrl =
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
struct TerritoryQuery {
  app::TerritoryLevel level = app::TerritoryLevel::region;
  std::int64_t year = 0;
};
// ?level=region|department&year=YYYY (the current year by default).
core::Result<TerritoryQuery> territory_query(const Request& request, core::TimestampMs now);
std::string territories_csv(const std::vector<app::TerritoryLine>& lines, std::int64_t year);

}  // namespace essor::web
