// essor: the program. Sub-commands serve, migrate, demo, verify (spec
// "Running"); configuration by flags and ESSOR_* variables (README.md).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/wiring.hpp"
#include "store/dataset.hpp"

int main(int argc, char** argv) {
  using essor::cli::Config;
  Config config;
  CLI::App cli{
      "Essor: crowdfunding, democratic governance and community for the social and "
      "solidarity economy"};
  cli.require_subcommand(1);
  auto add_database = [&config](CLI::App* command) {
    command
        ->add_option("--database", config.database_url,
                     "sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB")
        ->envname("ESSOR_DATABASE_URL")
        ->capture_default_str();
  };
  auto* serve = cli.add_subcommand("serve", "Serve the web site and the JSON API");
  add_database(serve);
  serve->add_option("--listen", config.listen, "HOST:PORT")
      ->envname("ESSOR_LISTEN")
      ->capture_default_str();
  serve->add_option("--admin-emails", config.admin_emails, "Moderators, comma-separated")
      ->envname("ESSOR_ADMIN_EMAILS");
  serve->add_option("--rate-limits", config.rate_limits, "on or off")->envname("ESSOR_RATE_LIMITS");
  serve
      ->add_option("--page-cache", config.page_cache,
                   "on or off: keep public pages rendered for anonymous visitors")
      ->envname("ESSOR_PAGE_CACHE");
  serve->add_option("--max-body-bytes", config.max_body_bytes)->envname("ESSOR_MAX_BODY_BYTES");
  serve->add_option("--io-threads", config.io_threads, "0: one per core")
      ->envname("ESSOR_IO_THREADS");
  serve->add_option("--handler-threads", config.handler_threads)->envname("ESSOR_HANDLER_THREADS");
  serve->add_option("--db-connections", config.db_connections)->envname("ESSOR_DB_CONNECTIONS");
  serve
      ->add_option(
          "--db-writers", config.db_writers,
          "PostgreSQL: group-commit writers (0: each write its own transaction on the pool)")
      ->envname("ESSOR_DB_WRITERS")
      ->check(CLI::Range(0, 32));
  serve
      ->add_option(
          "--sqlite-wal-restart-frames", config.sqlite_wal_restart_frames,
          "SQLite: pages in the WAL (2 KiB each in a new database) past which it is written "
          "from its start again")
      ->envname("ESSOR_SQLITE_WAL_RESTART_FRAMES")
      ->check(CLI::Range(1024, 1'048'576));
  serve
      ->add_option("--sqlite-statement-times", config.sqlite_statement_times,
                   "SQLite: a file to write, on stopping, the writer's statements and their times "
                   "(benchmarks)")
      ->envname("ESSOR_SQLITE_STATEMENT_TIMES");
  serve->add_option("--hash-threads", config.hash_threads)->envname("ESSOR_HASH_THREADS");
  serve->add_option("--request-timeout", config.request_timeout_s, "seconds")
      ->envname("ESSOR_REQUEST_TIMEOUT_S");
  serve->add_option("--max-connections", config.max_connections)->envname("ESSOR_MAX_CONNECTIONS");
  serve->add_flag("--trust-proxy", config.trust_proxy, "Read X-Forwarded-For and -Proto")
      ->envname("ESSOR_TRUST_PROXY");
  serve
      ->add_option("--public-url", config.public_url,
                   "The address people use, e.g. https://essor.example")
      ->envname("ESSOR_PUBLIC_URL");
  serve->add_option("--sandbox-card", config.sandbox_card, "on or off: the test card provider")
      ->envname("ESSOR_SANDBOX_CARD");
  serve->add_option("--federation", config.federation, "on or off: ActivityPub federation")
      ->envname("ESSOR_FEDERATION");
  serve
      ->add_option("--federation-allow-private", config.federation_allow_private,
                   "on or off: fetch actors on loopback and private addresses (tests only)")
      ->envname("ESSOR_FEDERATION_ALLOW_PRIVATE");
  serve
      ->add_option("--sandbox-decline-cents", config.sandbox_decline_cents,
                   "the test card declines exactly this amount (tests)")
      ->envname("ESSOR_SANDBOX_DECLINE_CENTS");
  serve
      ->add_option("--clock-offset-days", config.clock_offset_days,
                   "run the program's clock this many days ahead (tests)")
      ->envname("ESSOR_CLOCK_OFFSET_DAYS");
  serve
      ->add_option("--scheduler-interval", config.scheduler_interval_s,
                   "seconds between deadline checks")
      ->envname("ESSOR_SCHEDULER_INTERVAL_S");
  serve->add_option("--proxy-rule", config.proxy_rule, "fixed or scop")
      ->envname("ESSOR_PROXY_RULE");
  serve->add_option("--proxy-cap", config.proxy_cap, "proxies one member may hold (rule fixed)")
      ->envname("ESSOR_PROXY_CAP");
  serve->add_option("--loan-min-ticket-cents", config.loan_min_ticket_cents, "smallest loan")
      ->envname("ESSOR_LOAN_MIN_TICKET_CENTS");
  serve
      ->add_option("--loan-cap-interest-free-cents", config.loan_cap_interest_free_cents,
                   "most one lender may lend to one interest-free loan")
      ->envname("ESSOR_LOAN_CAP_INTEREST_FREE_CENTS");
  serve
      ->add_option("--loan-cap-interest-bearing-cents", config.loan_cap_interest_bearing_cents,
                   "most one lender may lend to one interest-bearing loan")
      ->envname("ESSOR_LOAN_CAP_INTEREST_BEARING_CENTS");
  serve
      ->add_option("--metrics-token", config.metrics_token,
                   "bearer token that opens /metrics to other machines than this one")
      ->envname("ESSOR_METRICS_TOKEN");
  serve->add_flag("--secure-cookies", config.secure_cookies, "Mark cookies Secure (behind TLS)")
      ->envname("ESSOR_SECURE_COOKIES");
  auto* migrate = cli.add_subcommand("migrate", "Apply the database migrations");
  add_database(migrate);
  auto* demo = cli.add_subcommand("demo", "Seed a realistic demo data set");
  add_database(demo);
  auto* verify = cli.add_subcommand("verify", "Check that the database is intact");
  add_database(verify);
  auto* user = cli.add_subcommand("user", "Manage accounts");
  auto* user_verify = user->add_subcommand("verify", "Mark an account's email address verified");
  add_database(user_verify);
  std::string user_email;
  user_verify->add_option("email", user_email, "the account's address")->required();
  user->require_subcommand(1);
  auto* generate =
      cli.add_subcommand("generate", "Fill an empty database with a large data set (benchmarks)");
  add_database(generate);
  essor::store::DatasetSize dataset;
  generate->add_option("--users", dataset.users, "accounts")->capture_default_str();
  generate->add_option("--orgs", dataset.orgs, "organisations")->capture_default_str();
  generate->add_option("--campaigns", dataset.campaigns, "live campaigns")->capture_default_str();
  generate->add_option("--pledges", dataset.pledges, "confirmed pledges")->capture_default_str();
  for (auto* command : {serve, demo, verify}) {
    command->add_option("--smtp-url", config.smtp_url, "SMTP server for notifications")
        ->envname("ESSOR_SMTP_URL");
    command->add_option("--mail-from", config.mail_from, "sender address of mails")
        ->envname("ESSOR_MAIL_FROM");
    command
        ->add_option("--transfer-expiry-days", config.transfer_expiry_days,
                     "days after which a bank transfer not received is cancelled")
        ->envname("ESSOR_TRANSFER_EXPIRY_DAYS")
        ->check(CLI::Range(4, 365));
    command->add_option("--digest-hour", config.digest_hour_utc, "hour (UTC) of daily digests")
        ->envname("ESSOR_DIGEST_HOUR_UTC")
        ->check(CLI::Range(0, 23));
    command->add_option("--ballot-key", config.ballot_key, "the key of secret ballots")
        ->envname("ESSOR_BALLOT_KEY");
    command->add_option("--ballot-key-file", config.ballot_key_file, "where the key is kept")
        ->envname("ESSOR_BALLOT_KEY_FILE");
  }
  for (auto* command : {serve, migrate, demo, verify}) {
    command->add_option("--log-level", config.log_level, "trace, debug, info, warn, error")
        ->envname("ESSOR_LOG_LEVEL");
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any refused option or value exits 2, as
    // Essor's own checks of the configuration do (CLI11 has a code per kind
    // of error, 105 for a value out of range…: one code is easier to script).
    return cli.exit(e) == 0 ? 0 : 2;
  }

  // One JSON object per line, UTC timestamps.
  spdlog::set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%v})",
                      spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    if (serve->parsed()) return essor::cli::run_serve(config);
    if (migrate->parsed()) return essor::cli::run_migrate(config);
    if (demo->parsed()) return essor::cli::run_demo(config);
    if (verify->parsed()) return essor::cli::run_verify(config);
    if (generate->parsed()) return essor::cli::run_generate(config, dataset);
    if (user_verify->parsed()) return essor::cli::run_user_verify(config, user_email);
  } catch (const std::exception& e) {
    std::cerr << "essor: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
