#include "cli/wiring.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/activitypub_json.hpp"
#include "adapters/camt053_expat.hpp"
#include "adapters/federation_http.hpp"
#include "adapters/openssl_signatures.hpp"
#include "adapters/payments/payments.hpp"
#include "adapters/pdf_haru.hpp"
#include "adapters/qr_svg.hpp"
#include "adapters/smtp_mailer.hpp"
#include "adapters/sodium_crypto.hpp"
#include "adapters/system_clock.hpp"
#include "app/generation_store.hpp"
#include "store/database.hpp"
#include "web/wording.hpp"

namespace essor::cli {

using Json = nlohmann::json;

namespace {

// The key of secret ballots: ESSOR_BALLOT_KEY, else the content of
// ESSOR_BALLOT_KEY_FILE, created with a random key (mode 0600) the first
// time. Never in the database; every instance must use the same one.
std::string ballot_key(const Config& config) {
  if (!config.ballot_key.empty()) return config.ballot_key;
  const std::string& path = config.ballot_key_file;
  auto read_key = [&path]() -> std::string {
    std::ifstream in(path);
    std::string key;
    return in && std::getline(in, key) && key.size() >= 32 ? key : "";
  };
  if (auto key = read_key(); !key.empty()) return key;
  // Written to a private temporary file, then linked into place: link()
  // fails if another process got there first, and then its key is used, so
  // processes started together agree on one key.
  auto crypto = adapters::make_sodium_crypto({});
  const std::string key = crypto->random_token() + crypto->random_token();
  const std::string temporary = path + "." + crypto->random_id() + ".tmp";
  {
    const mode_t old_mask = ::umask(077);
    std::ofstream out(temporary, std::ios::trunc);
    ::umask(old_mask);
    out << key << "\n";
    if (!out) throw std::runtime_error("cannot write the ballot key to " + temporary);
  }
  const bool linked = ::link(temporary.c_str(), path.c_str()) == 0;
  ::unlink(temporary.c_str());
  if (linked) return key;
  if (auto existing = read_key(); !existing.empty()) return existing;
  throw std::runtime_error("cannot create the ballot key file " + path);
}

}  // namespace

Runtime::~Runtime() {
  // Members go in reverse order, which would leave the database, and its
  // writer still running the thens of queued writes (write_then: a session's
  // last_seen_at, a deferred pledge), for last: those thens count in `store`
  // and answer through the use cases, by then destroyed. So the sealer's
  // thread (it writes through the store) stops first, then the database
  // finishes its queue; nothing uses either afterwards.
  sealer.reset();
  database.reset();
}

std::unique_ptr<Runtime> build_runtime(const Config& config, std::unique_ptr<app::Clock> clock) {
  auto runtime = std::make_unique<Runtime>();
  store::StoreOptions store_options;
  store_options.connections = config.db_connections;
  store_options.writers = config.db_writers;
  store_options.wal_restart_frames = config.sqlite_wal_restart_frames;
  store_options.sqlite_statement_times = config.sqlite_statement_times;
  store_options.metrics = &runtime->metrics;
  runtime->database = store::open_store(config.database_url, store_options);
  auto counted = std::make_unique<app::GenerationStore>(*runtime->database);
  const app::GenerationStore& generation = *counted;
  runtime->store = std::move(counted);
  adapters::PasswordHashing hashing;
  hashing.hash_threads = config.hash_threads;
  runtime->crypto = adapters::make_sodium_crypto(hashing);
  runtime->clock = clock ? std::move(clock) : adapters::make_system_clock(config.clock_offset_days);
  const bool rate_limits = parse_switch("ESSOR_RATE_LIMITS", config.rate_limits);
  const std::string public_url =
      config.public_url.empty() ? "http://" + config.listen : config.public_url;
  app::AccountsOptions accounts_options;
  accounts_options.moderator_emails = parse_admin_emails(config.admin_emails);
  accounts_options.rate_limits = rate_limits;
  accounts_options.public_url = public_url;
  runtime->wording = std::make_unique<web::CatalogWording>();
  runtime->accounts = std::make_unique<app::Accounts>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->wording, accounts_options);
  runtime->orgs = std::make_unique<app::Orgs>(*runtime->store, *runtime->crypto, *runtime->clock);
  runtime->qr = adapters::make_qr_encoder();
  runtime->pdf = adapters::make_pdf_writer();
  runtime->ledger = std::make_unique<app::Ledger>(*runtime->store, *runtime->crypto,
                                                  *runtime->clock, runtime->database.get());
  const core::LoanRules loan_rules{core::Cents{config.loan_min_ticket_cents},
                                   core::Cents{config.loan_cap_interest_free_cents},
                                   core::Cents{config.loan_cap_interest_bearing_cents}};
  runtime->campaigns = std::make_unique<app::Campaigns>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->ledger, loan_rules);
  if (parse_switch("ESSOR_SANDBOX_CARD", config.sandbox_card)) {
    runtime->payment_providers.push_back(adapters::make_sandbox_card());
  }
  runtime->payment_providers.push_back(adapters::make_bank_transfer(*runtime->qr));
  runtime->payment_providers.push_back(adapters::make_balance());
  app::PaymentOptions payments;
  payments.rate_limits = rate_limits;
  payments.transfer_expiry_ms = std::int64_t{config.transfer_expiry_days} * 86'400'000;
  payments.public_url = public_url;
  for (const auto& provider : runtime->payment_providers)
    payments.providers.push_back(provider.get());
  runtime->pledges =
      std::make_unique<app::Pledges>(*runtime->store, *runtime->crypto, *runtime->clock,
                                     *runtime->wording, *runtime->ledger, payments, loan_rules);
  // Dues are paid by card or bank transfer, never from a balance of
  // repaid loans (which is the lender's own money to lend again).
  app::PaymentOptions dues_payments = payments;
  dues_payments.providers.clear();
  for (const auto* provider : payments.providers) {
    if (provider->method() != core::PaymentMethod::balance)
      dues_payments.providers.push_back(provider);
  }
  runtime->memberships = std::make_unique<app::Memberships>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->wording, *runtime->ledger,
      dues_payments, public_url);
  runtime->books = std::make_unique<app::Books>(*runtime->store, *runtime->ledger);
  runtime->receipts =
      std::make_unique<app::Receipts>(*runtime->store, *runtime->crypto, *runtime->clock,
                                      app::ReceiptMail{*runtime->wording, public_url});
  runtime->guests =
      std::make_unique<app::Guests>(*runtime->store, *runtime->crypto, *runtime->clock);
  runtime->calls = std::make_unique<app::Calls>(*runtime->store, *runtime->crypto, *runtime->clock,
                                                *runtime->ledger);
  runtime->backer_notices =
      std::make_unique<app::BackerNotices>(*runtime->store, *runtime->crypto, *runtime->clock);
  app::GiftOptions gift_options;
  gift_options.sandbox_card = dues_payments.sandbox_card();
  if (config.sandbox_decline_cents > 0)
    gift_options.decline_cents = core::Cents{config.sandbox_decline_cents};
  gift_options.public_url = public_url;
  runtime->gifts = std::make_unique<app::Gifts>(*runtime->store, *runtime->crypto, *runtime->clock,
                                                *runtime->wording, *runtime->ledger, gift_options);
  runtime->statement_reader = adapters::make_camt053_reader();
  runtime->reconciliation = std::make_unique<app::Reconciliation>(
      *runtime->store, *runtime->pledges, *runtime->memberships, *runtime->statement_reader);
  runtime->loans = std::make_unique<app::Loans>(*runtime->store, *runtime->crypto, *runtime->clock,
                                                *runtime->ledger);
  app::GovernanceOptions governance;
  governance.ballot_key = ballot_key(config);
  const auto proxy_rule = core::parse_proxy_rule(config.proxy_rule);
  if (!proxy_rule) throw std::invalid_argument("ESSOR_PROXY_RULE must be fixed or scop");
  governance.proxy_rule = *proxy_rule;
  governance.proxy_cap = config.proxy_cap;
  governance.rate_limits = rate_limits;
  runtime->governance = std::make_unique<app::Governance>(*runtime->store, *runtime->crypto,
                                                          *runtime->clock, governance);
  runtime->cowriting = std::make_unique<app::CoWriting>(*runtime->store, *runtime->crypto,
                                                        *runtime->clock, *runtime->governance);
  runtime->courses =
      std::make_unique<app::Courses>(*runtime->store, *runtime->crypto, *runtime->clock);
  runtime->signatures = std::make_unique<adapters::OpensslSignatures>();
  runtime->federation_client = std::make_unique<adapters::FederationHttp>(
      parse_switch("ESSOR_FEDERATION_ALLOW_PRIVATE", config.federation_allow_private),
      "Essor (+" + public_url + ")");
  runtime->activity_codec = std::make_unique<adapters::ActivityPubJson>();
  app::FederationOptions federation_options;
  federation_options.enabled = parse_switch("ESSOR_FEDERATION", config.federation);
  federation_options.public_url = public_url;
  federation_options.rate_limits = rate_limits;
  runtime->federation = std::make_unique<app::Federation>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->signatures,
      *runtime->federation_client, *runtime->activity_codec, federation_options);
  runtime->assemblies = std::make_unique<app::Assemblies>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->governance, governance);
  runtime->budgets =
      std::make_unique<app::Budgets>(*runtime->store, *runtime->crypto, *runtime->clock);
  if (!config.smtp_url.empty()) {
    runtime->mailer = adapters::make_smtp_mailer(config.smtp_url, config.mail_from);
  }
  // Every instance must make the same CSRF tokens: derived from the key
  // they already share (the ballot key), never equal to it.
  const std::string csrf_key =
      runtime->crypto->sha256_hex("essor-csrf-key-v1\n" + governance.ballot_key);
  app::CommunityOptions community;
  community.public_url = public_url;
  community.mail_enabled = runtime->mailer != nullptr;
  community.rate_limits = rate_limits;
  community.digest_hour_utc = config.digest_hour_utc;
  runtime->community =
      std::make_unique<app::Community>(*runtime->store, *runtime->crypto, *runtime->clock,
                                       *runtime->wording, community, runtime->mailer.get());
  app::InvitationsOptions invitations;
  invitations.public_url = public_url;
  invitations.rate_limits = rate_limits;
  runtime->invitations = std::make_unique<app::Invitations>(
      *runtime->store, *runtime->crypto, *runtime->clock, *runtime->wording, invitations);
  web::Services services{*runtime->accounts,
                         *runtime->crypto,
                         *runtime->orgs,
                         runtime->metrics,
                         *runtime->campaigns,
                         *runtime->pledges,
                         *runtime->loans,
                         *runtime->governance,
                         *runtime->assemblies,
                         *runtime->budgets,
                         *runtime->memberships,
                         *runtime->books,
                         *runtime->reconciliation,
                         *runtime->gifts,
                         *runtime->receipts,
                         *runtime->guests,
                         *runtime->calls,
                         *runtime->cowriting,
                         *runtime->courses,
                         *runtime->federation,
                         *runtime->community,
                         *runtime->invitations,
                         *runtime->ledger,
                         *runtime->clock,
                         *runtime->qr,
                         *runtime->pdf,
                         web::WebOptions{config.secure_cookies, public_url,
                                         parse_switch("ESSOR_PAGE_CACHE", config.page_cache),
                                         csrf_key, config.metrics_token},
                         [&generation] { return generation.generation(); },
                         [store = runtime->store.get()] { return store->share_reads(); }};
  runtime->web_app = std::make_unique<web::App>(services);
  return runtime;
}

web::ServerOptions server_options(const Config& config) {
  web::ServerOptions options;
  split_listen(config.listen, options.host, options.port);
  options.io_threads = config.io_threads;
  options.handler_threads = config.handler_threads;
  options.max_body_bytes = config.max_body_bytes;
  options.request_timeout_s = config.request_timeout_s;
  options.max_connections = config.max_connections;
  options.trust_proxy = config.trust_proxy;
  return options;
}

std::unique_ptr<web::Server> make_server(Runtime& runtime, const Config& config) {
  if (runtime.store->seals_ledger_later() && !runtime.sealer) {
    app::LedgerSealer::Options sealing;
    sealing.log_error = [](const std::string& error) {
      spdlog::error(Json{{"event", "ledger_sealing_failed"}, {"error", error}}.dump());
    };
    sealing.after_round = [&metrics = runtime.metrics](const app::Ledger::SealRound& round) {
      metrics.count_seal_round(round.sealed, round.head_held);
    };
    runtime.sealer = std::make_unique<app::LedgerSealer>(*runtime.ledger, sealing);
  }
  web::App& app = *runtime.web_app;
  return std::make_unique<web::Server>(
      server_options(config),
      [&app](web::Request& request, std::function<void(web::Response)> reply) {
        app.handle(request, reply);
      },
      [&app](int status) { return app.limit_response(status); },
      [&app](web::Request& request) { return app.handle_at_hand(request); },
      // A pledge on the io thread, where its write is only queued (a
      // group-commit writer): its session is read there where reads never
      // wait (SQLite), else checked by the write itself (Accounts::asker).
      // Two thread switches fewer each. Without a writer (PostgreSQL with
      // ESSOR_DB_WRITERS=0) the write would run there: on the pool.
      runtime.store->queues_writes()
          ? web::HandOnDispatcher(
                [&app](web::Request& request, const std::function<void(web::Response)>& reply) {
                  return app.hand_on(request, reply);
                })
          : web::HandOnDispatcher());
}

namespace {

// Every interval, until stopped, the leader among the processes resolves
// campaigns whose deadline passed, closes proposals and budgets whose time
// is up, and does the community's reminders and mail. Each step is also
// guarded in the database, so two leaders for a moment would still do each
// thing once.
class Scheduler {
 public:
  Scheduler(Runtime& runtime, const std::string& database_url, int interval_s)
      : lease_(store::make_leader_lease(database_url)),
        thread_([this, &runtime, interval_s] { run(runtime, interval_s); }) {}
  ~Scheduler() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run(Runtime& runtime, int interval_s) {
    std::unique_lock lock(mutex_);
    bool leading = false;
    while (!stopping_) {
      lock.unlock();
      // One leader at a time does the work (it is also safe twice: every
      // step is guarded in the database); another takes over when it dies.
      const bool leader = lease_->hold();
      if (leader != leading) {
        spdlog::info(Json{{"event", leader ? "scheduler_leader" : "scheduler_follower"}}.dump());
        leading = leader;
        runtime.metrics.set_scheduler_leader(leader);
      }
      if (leader) work(runtime);
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(interval_s), [this] { return stopping_; });
    }
  }

  static void work(Runtime& runtime) {
    auto& campaigns = *runtime.campaigns;
    auto& governance = *runtime.governance;
    auto& budgets = *runtime.budgets;
    auto& community = *runtime.community;
    // Each step on its own: one that fails (logged) does not keep the
    // others from running, this round or the next.
    const auto step = [](const char* name, const auto& work) {
      try {
        work();
      } catch (const std::exception& e) {
        spdlog::error(
            Json{{"event", "scheduler_failed"}, {"step", name}, {"error", e.what()}}.dump());
      }
    };
    step("transfers_expiry", [&] {
      if (const auto expiry = runtime.pledges->expire_due(); expiry.noticed + expiry.expired > 0) {
        spdlog::info(Json{
            {"event", "transfers_expiry"}, {"noticed", expiry.noticed}, {"expired", expiry.expired}}
                         .dump());
      }
    });
    step("campaigns_resolution", [&] {
      if (const int resolved = campaigns.resolve_due(); resolved > 0) {
        spdlog::info(Json{{"event", "campaigns_resolved"}, {"count", resolved}}.dump());
      }
    });
    step("proposals_closing", [&] {
      if (const int closed = governance.close_due(); closed > 0) {
        spdlog::info(Json{{"event", "proposals_closed"}, {"count", closed}}.dump());
      }
    });
    step("budgets_closing", [&] {
      if (const int closed = budgets.close_due(); closed > 0) {
        spdlog::info(Json{{"event", "budgets_closed"}, {"count", closed}}.dump());
      }
    });
    step("gifts", [&] {
      if (const auto gifts = runtime.gifts->run_due(); gifts.charged + gifts.declined > 0) {
        spdlog::info(Json{{"event", "gifts_charged"},
                          {"charged", gifts.charged},
                          {"declined", gifts.declined},
                          {"paused", gifts.paused}}
                         .dump());
      }
    });
    step("federation", [&] {
      if (runtime.federation->enabled()) {
        runtime.federation->ensure_handles();
        const int announced = runtime.federation->publish_due();
        const int delivered = runtime.federation->deliver_due();
        if (announced + delivered > 0) {
          spdlog::info(
              Json{{"event", "federation"}, {"announced", announced}, {"delivered", delivered}}
                  .dump());
        }
      }
    });
    step("new_backers", [&] {
      if (const int told = runtime.backer_notices->run_due(); told > 0) {
        spdlog::info(Json{{"event", "new_backers_told"}, {"campaigns", told}}.dump());
      }
    });
    step("annual_receipts", [&] {
      if (const auto receipts = runtime.receipts->run_annual_due(); receipts > 0) {
        spdlog::info(Json{{"event", "annual_receipts"}, {"created", receipts}}.dump());
      }
    });
    step("memberships", [&] {
      if (const auto dues = runtime.memberships->run_due(); dues.reminded + dues.expired > 0) {
        spdlog::info(Json{
            {"event", "memberships_work"}, {"reminded", dues.reminded}, {"expired", dues.expired}}
                         .dump());
      }
    });
    step("community", [&] {
      const auto done = community.run_due();
      if (done.reminders + done.queued + done.sent + done.failed > 0) {
        spdlog::info(Json{{"event", "community_work"},
                          {"reminders", done.reminders},
                          {"digests", done.digests},
                          {"circle_digests", done.circle_digests},
                          {"mails_queued", done.queued},
                          {"mails_sent", done.sent},
                          {"mails_failed", done.failed}}
                         .dump());
      }
    });
  }

  std::unique_ptr<store::LeaderLease> lease_;  // used by thread_ only
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace

int run_serve(const Config& config) {
  auto runtime = build_runtime(config);
  auto server = make_server(*runtime, config);
  server->start();
  server->stop_on_signals();
  Scheduler scheduler(*runtime, config.database_url, std::max(1, config.scheduler_interval_s));
  spdlog::info(Json{{"event", "listening"},
                    {"address", config.listen},
                    {"port", server->port()},
                    {"database", store::backend_of(config.database_url) == store::Backend::sqlite
                                     ? config.database_url
                                     : "postgresql"}}
                   .dump());
  server->wait();
  spdlog::info(Json{{"event", "stopped"}}.dump());
  return 0;
}

int run_migrate(const Config& config) {
  const int applied = store::migrate(config.database_url);
  std::cout << "migrations applied: " << applied << "\n";
  return 0;
}

int run_verify(const Config& config) {
  auto problems = store::check_integrity(config.database_url);
  if (problems.empty()) {
    auto runtime = build_runtime(config);
    const auto report = runtime->ledger->verify();
    problems = report.problems;
    if (problems.empty()) {
      std::cout << "ledger intact: " << report.transfers_count << " transfers, head "
                << report.head_hash << "; every balance checks out\n";
      return 0;
    }
  }
  std::cout << problems.size() << " problem(s) found:\n";
  for (const auto& problem : problems) std::cout << "- " << problem << "\n";
  return 1;
}

int run_user_verify(const Config& config, const std::string& email) {
  auto runtime = build_runtime(config);
  auto done = runtime->accounts->confirm_address(email);
  if (!done) {
    std::cerr << "essor: " << done.error().message << "\n";
    return 1;
  }
  std::cout << "address verified: " << email << "\n";
  return 0;
}

int run_generate(const Config& config, const store::DatasetSize& size) {
  auto crypto = adapters::make_sodium_crypto({});
  auto clock = adapters::make_system_clock();
  const std::string hash = crypto->hash_password("essor-bench-2026");
  store::generate_dataset(
      config.database_url, size, hash,
      [&crypto](const std::string& bytes) { return crypto->sha256_hex(bytes); }, clock->now(),
      [](const std::string& line) { std::cout << line << std::endl; });
  std::cout << "every account's password: essor-bench-2026 (user0@bench.example … user"
            << size.users - 1 << "@bench.example)\n";
  return 0;
}

}  // namespace essor::cli
