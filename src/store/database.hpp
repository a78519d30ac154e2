// Opening the database named by a URL ("sqlite:PATH" or
// "postgresql://USER:PASS@HOST:PORT/DB"), migrating it, and the Store that
// the use cases write through.
//
// SQLite: readers on their own connections; every write goes through one
// writer thread that commits many requests' work in one transaction (group
// commit, see group_writer.hpp). PostgreSQL: a pool of connections, each
// write its own transaction; or, with StoreOptions::writers, writes
// grouped by that many writer threads as on SQLite (Store::write_alone
// still takes the pool).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/metrics.hpp"
#include "app/ports.hpp"

namespace essor::store {

struct StoreOptions {
  int connections = 8;          // readers (SQLite) or pooled connections (PostgreSQL)
  std::size_t max_batch = 256;  // most write jobs committed together (PostgreSQL: 60 at most)
  app::Metrics* metrics = nullptr;
  int lock_wait_ms = 50;  // PostgreSQL: a grouped job's longest wait for a lock
  int writers = 0;        // PostgreSQL: group-commit writer threads (0: none, see below)
  // SQLite: past this many frames (pages: 2 KiB in a new database, 4 KiB
  // in one made before 2026-12-06) the WAL is written from its start
  // again, and its file is cut back to twice that size.
  int wal_restart_frames = 32768;
  // SQLite: when not empty, a file where the store, when it closes, writes
  // how many times the writer ran each statement and for how long
  // (benchmarks: bench/pledges.sh 8 statements).
  std::string sqlite_statement_times = {};
};

// Throws std::runtime_error with a readable message for a malformed URL.
enum class Backend { sqlite, postgresql };
Backend backend_of(const std::string& url);

// The libpq keyword=value form of a postgresql:// URL (exposed for tests).
std::string postgresql_conninfo(const std::string& url);

// Applies the migrations not yet applied; safe to run twice and from two
// processes at once. Returns how many it applied. up_to: stop at that
// version (tests of a migration's data work).
int migrate(const std::string& url, int up_to = 1 << 30);
// The version the migrations embedded in this program bring a database to.
int schema_version();

// Migrates, then opens. Throws std::runtime_error when the database cannot
// be opened.
std::unique_ptr<app::Store> open_store(const std::string& url, const StoreOptions& options);

// Leadership of the scheduler among the processes sharing a database: at
// most one holds it at a time, and it passes to another when the holder
// dies. PostgreSQL: a session advisory lock of the schema's own (another
// site in another schema of the database has its own leader), on a
// connection of its own (released by the server when that connection or
// process goes).
// SQLite: an exclusive flock on "<database>.leader" (released by the
// kernel when the process goes). Not thread-safe: one per scheduler.
class LeaderLease {
 public:
  virtual ~LeaderLease() = default;
  // True while this process holds the lease; tries to take it when not, and
  // notices a lost connection (then tries again on a new one).
  virtual bool hold() = 0;
};
std::unique_ptr<LeaderLease> make_leader_lease(const std::string& url);

// Checks that the database is intact and fully migrated; returns the
// problems found (empty when intact). The ledger's hash chain and balances
// join these checks with the ledger itself.
std::vector<std::string> check_integrity(const std::string& url);

// For tests only: (re)creates an empty schema in the PostgreSQL database of
// base_url and returns a URL whose connections use it, so that test suites
// running at the same time never see each other's tables.
std::string fresh_postgresql_schema(const std::string& base_url, const std::string& schema);

// For tests only: runs one statement on its own connection (to tamper with
// data the program would never change, and check that it is caught).
void execute_for_tests(const std::string& url, const std::string& statement);
// Every row of a query, each cell as text (integers written out, NULL empty).
std::vector<std::vector<std::string>> query_for_tests(const std::string& url,
                                                      const std::string& statement);

}  // namespace essor::store
