// Builds the program from its parts: store, adapters, use cases, web. Used
// by main() and by the HTTP tests, so both run exactly the same wiring.
#pragma once

#include <memory>
#include <vector>

#include "app/accounts.hpp"
#include "app/assemblies.hpp"
#include "app/backer_notices.hpp"
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
#include "app/ledger.hpp"
#include "app/ledger_sealer.hpp"
#include "app/loans.hpp"
#include "app/memberships.hpp"
#include "app/metrics.hpp"
#include "app/orgs.hpp"
#include "app/pledges.hpp"
#include "app/receipts.hpp"
#include "app/reconciliation.hpp"
#include "cli/config.hpp"
#include "store/dataset.hpp"
#include "web/routes.hpp"
#include "web/server.hpp"

namespace essor::cli {

struct Runtime {
  // Stops the sealer, then closes the database (its writer finishes the
  // writes still queued) while everything their thens reach is still there:
  // the counting store and the use cases, destroyed after.
  ~Runtime();

  app::Metrics metrics;
  std::unique_ptr<app::Store> database;  // the real store
  std::unique_ptr<app::Store> store;     // database, its writes counted (app/generation_store.hpp)
  std::unique_ptr<app::Crypto> crypto;
  std::unique_ptr<app::Clock> clock;
  std::unique_ptr<app::Wording> wording;  // web/wording.hpp, from the catalogs
  std::unique_ptr<app::Accounts> accounts;
  std::unique_ptr<app::Orgs> orgs;
  std::unique_ptr<app::QrEncoder> qr;
  std::unique_ptr<app::PdfWriter> pdf;
  std::vector<std::unique_ptr<app::PaymentProvider>> payment_providers;
  std::unique_ptr<app::Ledger> ledger;
  // Seals the ledger while serving, when the store seals later
  // (PostgreSQL); started by make_server, stopped before the ledger goes.
  std::unique_ptr<app::LedgerSealer> sealer;
  std::unique_ptr<app::Campaigns> campaigns;
  std::unique_ptr<app::Pledges> pledges;
  std::unique_ptr<app::Loans> loans;
  std::unique_ptr<app::Governance> governance;
  std::unique_ptr<app::Assemblies> assemblies;
  std::unique_ptr<app::Budgets> budgets;
  std::unique_ptr<app::Memberships> memberships;
  std::unique_ptr<app::Books> books;
  std::unique_ptr<app::StatementReader> statement_reader;
  std::unique_ptr<app::Reconciliation> reconciliation;
  std::unique_ptr<app::Gifts> gifts;
  std::unique_ptr<app::Receipts> receipts;
  std::unique_ptr<app::Guests> guests;
  std::unique_ptr<app::Calls> calls;
  std::unique_ptr<app::CoWriting> cowriting;
  std::unique_ptr<app::Courses> courses;
  std::unique_ptr<app::SignatureCrypto> signatures;
  std::unique_ptr<app::FederationClient> federation_client;
  std::unique_ptr<app::ActivityCodec> activity_codec;
  std::unique_ptr<app::Federation> federation;
  std::unique_ptr<app::BackerNotices> backer_notices;
  std::unique_ptr<app::Mailer> mailer;  // nothing without ESSOR_SMTP_URL
  std::unique_ptr<app::Community> community;
  std::unique_ptr<app::Invitations> invitations;
  std::unique_ptr<web::App> web_app;
};

// Opens (and migrates) the database; throws std::runtime_error. clock:
// the wall clock unless a test passes its own.
std::unique_ptr<Runtime> build_runtime(const Config& config,
                                       std::unique_ptr<app::Clock> clock = nullptr);
web::ServerOptions server_options(const Config& config);
std::unique_ptr<web::Server> make_server(Runtime& runtime, const Config& config);

// Sub-commands; each returns the process exit code.
int run_serve(const Config& config);
int run_migrate(const Config& config);
int run_demo(const Config& config);
int run_verify(const Config& config);
// `essor user verify EMAIL`: the operator vouches for an address (for
// instance a moderator's in ESSOR_ADMIN_EMAILS when no mail server is set).
int run_user_verify(const Config& config, const std::string& email);
// Fills an empty database with a large data set; every account's password
// is "essor-bench-2026".
int run_generate(const Config& config, const store::DatasetSize& size);

}  // namespace essor::cli
