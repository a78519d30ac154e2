// What the web layer is handed by the program's wiring.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/accounts.hpp"
#include "app/assemblies.hpp"
#include "app/books.hpp"
#include "app/budgets.hpp"
#include "app/calls.hpp"
#include "app/campaigns.hpp"
#include "app/community.hpp"
#include "app/courses.hpp"
#include "app/cowriting.hpp"
#include "app/federation.hpp"
#include "app/gifts.hpp"
#include "app/governance.hpp"
#include "app/invitations.hpp"
#include "app/ledger.hpp"
#include "app/loans.hpp"
#include "app/memberships.hpp"
#include "app/metrics.hpp"
#include "app/orgs.hpp"
#include "app/pledges.hpp"
#include "app/receipts.hpp"
#include "app/reconciliation.hpp"

namespace essor::web {

struct WebOptions {
  bool secure_cookies = false;  // set Secure on cookies even without a proxy telling us
  std::string public_url = "http://127.0.0.1:8080";  // for og:url, share links and QR codes
  bool page_cache = true;  // keep public pages rendered for anonymous visitors (web/page_cache.hpp)
  std::string csrf_key;    // HMAC key of CSRF tokens; the same on every instance
  std::string metrics_token;  // ESSOR_METRICS_TOKEN: /metrics for others than loopback
};

struct Services {
  app::Accounts& accounts;
  app::Crypto& crypto;
  app::Orgs& orgs;
  app::Metrics& metrics;
  app::Campaigns& campaigns;
  app::Pledges& pledges;
  app::Loans& loans;
  app::Governance& governance;
  app::Assemblies& assemblies;
  app::Budgets& budgets;
  app::Memberships& memberships;
  app::Books& books;
  app::Reconciliation& reconciliation;
  app::Gifts& gifts;
  app::Receipts& receipts;
  app::Guests& guests;
  app::Calls& calls;
  app::CoWriting& cowriting;
  app::Courses& courses;
  app::Federation& federation;
  app::Community& community;
  app::Invitations& invitations;
  app::Ledger& ledger;
  app::Clock& clock;
  app::QrEncoder& qr;
  app::PdfWriter& pdf;
  WebOptions options;
  // The store's count of writes (app/generation_store.hpp); without it no
  // page is kept.
  std::function<std::uint64_t()> write_generation{};
  // Store::share_reads: each GET's reads in one snapshot.
  std::function<std::unique_ptr<app::ReadScope>()> share_reads{};
};

}  // namespace essor::web
