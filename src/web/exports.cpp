// CSV exports: a campaign's ledger (public, as the ledger is) and its
// backers (the organisation's treasurer or admins), by bearer token under
// /api/v1 or by session cookie on the site.
#include "core/money.hpp"
#include "core/time.hpp"
#include "web/csv.hpp"
#include "web/json_api.hpp"
#include "web/render.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

Response failure(Services& services, const Request& request, const core::Error& error) {
  if (request.path.starts_with("/api/")) return error_response(error);
  return render_error_page(services, request, status_of(error.kind));
}

// The reader's language on the site; the fixed format for programs under /api/v1.
std::string sheet_language(const Request& request) {
  return request.path.starts_with("/api/") ? "" : negotiate_language(request);
}

Response ledger_csv(Services& services, Request& request) {
  auto campaign = services.campaigns.get(reader_of(services, request), request.params["id"]);
  if (!campaign) return failure(services, request, campaign.error());
  CsvSheet sheet(sheet_language(request));
  sheet.header({"seq", "id", "created_at", "kind", "debit_account", "credit_account",
                "amount_cents", "amount_eur", "pledge_id", "prev_hash", "hash"});
  for (std::int64_t offset = 0;; offset += 1000) {
    const auto transfers = services.ledger.of_campaign(campaign->campaign.id, 1000, offset);
    for (const auto& t : transfers) {
      sheet.row({std::to_string(t.seq), t.id, sheet.date_time(t.created_at), t.kind,
                 t.debit_account, t.credit_account, std::to_string(t.amount_cents),
                 sheet.money(t.amount_cents), t.pledge_id.value_or(""), t.prev_hash, t.hash});
    }
    if (transfers.size() < 1000) break;
  }
  return std::move(sheet).response("ledger-" + campaign->campaign.id + ".csv");
}

Response backers_csv(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return failure(services, request, core::Error::unauthenticated());
  auto backers = services.pledges.backers(*who, request.params["id"]);
  if (!backers) return failure(services, request, backers.error());
  CsvSheet sheet(sheet_language(request));
  sheet.header({"pledge_id", "created_at", "status", "payment_method", "amount_cents", "amount_eur",
                "reward_id", "reference", "display_name", "email", "anonymous", "message"});
  for (const auto& backer : *backers) {
    const auto& p = backer.pledge;
    sheet.row({p.id, sheet.date_time(p.created_at), core::to_string(p.status), p.payment_method,
               std::to_string(p.amount_cents), sheet.money(p.amount_cents),
               p.reward_id.value_or(""), p.reference, backer.display_name, backer.email,
               sheet.yes_no(p.anonymous), p.message.value_or("")});
  }
  return std::move(sheet).response("backers-" + request.params["id"] + ".csv");
}

}  // namespace

void add_export_routes(Router& router, Services& services) {
  for (const std::string prefix : {"", "/api/v1"}) {
    router.add("GET", prefix + "/campaigns/{id}/ledger.csv",
               [&services](Request& request) { return ledger_csv(services, request); });
    router.add("GET", prefix + "/campaigns/{id}/backers.csv",
               [&services](Request& request) { return backers_csv(services, request); });
  }
}

}  // namespace essor::web
