// The program's configuration: flags, then ESSOR_* environment variables,
// then defaults (spec "Running"). Documented in README.md.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace essor::cli {

struct Config {
  std::string listen = "127.0.0.1:8080";         // --listen, ESSOR_LISTEN
  std::string database_url = "sqlite:essor.db";  // --database, ESSOR_DATABASE_URL
  std::string admin_emails;                      // ESSOR_ADMIN_EMAILS (comma-separated)
  std::string rate_limits = "on";                // ESSOR_RATE_LIMITS=on|off
  std::string page_cache = "on";                 // ESSOR_PAGE_CACHE=on|off
  std::size_t max_body_bytes = 1024 * 1024;      // ESSOR_MAX_BODY_BYTES
  int io_threads = 0;                            // ESSOR_IO_THREADS (0: one per core)
  int handler_threads = 64;                      // ESSOR_HANDLER_THREADS
  int db_connections = 8;                        // ESSOR_DB_CONNECTIONS
  int db_writers = 2;                            // ESSOR_DB_WRITERS (PostgreSQL)
  int sqlite_wal_restart_frames = 32768;         // ESSOR_SQLITE_WAL_RESTART_FRAMES
  std::string sqlite_statement_times;            // ESSOR_SQLITE_STATEMENT_TIMES (benchmarks)
  int hash_threads = 2;                          // ESSOR_HASH_THREADS
  int request_timeout_s = 30;                    // ESSOR_REQUEST_TIMEOUT_S
  std::size_t max_connections = 4096;            // ESSOR_MAX_CONNECTIONS
  bool trust_proxy = false;                      // ESSOR_TRUST_PROXY
  bool secure_cookies = false;                   // ESSOR_SECURE_COOKIES
  std::string metrics_token;                     // ESSOR_METRICS_TOKEN
  std::string log_level = "info";                // ESSOR_LOG_LEVEL
  std::string sandbox_card = "on";  // ESSOR_SANDBOX_CARD=on|off (the test card provider)
  std::string public_url;           // ESSOR_PUBLIC_URL (default http://LISTEN)
  int scheduler_interval_s = 5;     // ESSOR_SCHEDULER_INTERVAL_S
  int transfer_expiry_days = 14;    // ESSOR_TRANSFER_EXPIRY_DAYS
  // ESSOR_SANDBOX_DECLINE_CENTS: the test card declines exactly this amount
  // (recurring gifts' charges), for tests; 0: it declines nothing.
  std::int64_t sandbox_decline_cents = 0;
  // ESSOR_CLOCK_OFFSET_DAYS: the program's clock runs this many days ahead
  // (tests of what happens next month); 0 in production.
  int clock_offset_days = 0;
  // Federation (ActivityPub): ESSOR_FEDERATION=on|off; fetching actors on
  // loopback and private addresses only with ESSOR_FEDERATION_ALLOW_PRIVATE=on (tests).
  std::string federation = "on";
  std::string federation_allow_private = "off";
  // Mail (community notifications); nothing is mailed without a server.
  std::string smtp_url;                       // ESSOR_SMTP_URL (smtp://host:port)
  std::string mail_from = "essor@localhost";  // ESSOR_MAIL_FROM
  int digest_hour_utc = 7;                    // ESSOR_DIGEST_HOUR_UTC (daily digests)
  // Governance.
  std::string ballot_key;                            // ESSOR_BALLOT_KEY (secret ballots)
  std::string ballot_key_file = "essor-ballot.key";  // ESSOR_BALLOT_KEY_FILE, when no key is given
  std::string proxy_rule = "fixed";                  // ESSOR_PROXY_RULE=fixed|scop
  std::int64_t proxy_cap = 2;                        // ESSOR_PROXY_CAP (rule fixed)
  // Loans (French IFP defaults, REFERENCE.md), in cents.
  std::int64_t loan_min_ticket_cents = 2'000;              // ESSOR_LOAN_MIN_TICKET_CENTS
  std::int64_t loan_cap_interest_free_cents = 500'000;     // ESSOR_LOAN_CAP_INTEREST_FREE_CENTS
  std::int64_t loan_cap_interest_bearing_cents = 200'000;  // ESSOR_LOAN_CAP_INTEREST_BEARING_CENTS
};

// "HOST:PORT" or "[V6]:PORT"; throws std::invalid_argument with a message.
void split_listen(const std::string& listen, std::string& host, std::uint16_t& port);
// Lower-cased, trimmed, empty entries dropped.
std::set<std::string> parse_admin_emails(const std::string& list);
// "on"/"off" (also true/false, 1/0, yes/no); throws std::invalid_argument.
bool parse_switch(const std::string& name, const std::string& value);

}  // namespace essor::cli
