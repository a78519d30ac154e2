#include "store/database.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "store/group_writer.hpp"
#include "store/migrations.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"
#include "store/sqlite_gather.hpp"

namespace essor::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

std::string sqlite_path(const std::string& url) {
  std::string path = url.substr(kSqlitePrefix.size());
  if (path.starts_with("//")) path = path.substr(2);  // tolerate sqlite://PATH
  if (path.empty()) throw std::runtime_error("database URL names no file: " + url);
  return path;
}

// How long a SQLite connection of the store waits for a lock.
constexpr int kSqliteBusyTimeoutMs = 10000;
std::string busy_timeout_pragma() {
  return "PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeoutMs);
}

// A new database's page size. A pledge dirties a page in each of a few
// indexes where its key lands at random (its backer's, its idempotency
// key's, its reference's), and the WAL gets each page whole: half-size
// pages write a third fewer bytes per pledge (docs/performance.md). An
// existing database keeps the size it was made with.
constexpr int kSqlitePageSize = 2048;

// busy_timeout first (the other pragmas may need to wait for a lock), then
// the page size of a new file, WAL, then FULL sync: money must survive
// power loss, not only a crash. The store's writer opens its file through
// the gathering VFS (sqlite_gather.hpp): a commit's frames written together.
std::unique_ptr<soci::session> open_sqlite(const std::string& url, bool gather = false) {
  const std::string path = sqlite_path(url);
  auto sql = std::make_unique<soci::session>(
      soci::sqlite3, "db=\"" + (gather ? gathering_uri(path) : path) + "\" timeout=10");
  *sql << busy_timeout_pragma();
  *sql << "PRAGMA page_size = " + std::to_string(kSqlitePageSize);
  // Two connections making a new file WAL at the same moment: SQLite may
  // answer the second's switch "database is locked" at once, without its
  // busy handler (it would wait for a lock the first waits for too), so
  // it tries again, for as long as the busy timeout.
  for (int waited_ms = 0;; waited_ms += 10) {
    try {
      *sql << "PRAGMA journal_mode = WAL";
      break;
    } catch (const soci::sqlite3_soci_error& e) {
      if ((e.result() & 0xff) != SQLITE_BUSY || waited_ms >= kSqliteBusyTimeoutMs) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  *sql << "PRAGMA synchronous = FULL";
  *sql << "PRAGMA foreign_keys = ON";
  // The writer wraps each job of a batch in a savepoint; SQLite keeps the
  // pages a savepoint may have to restore in a sub-journal, a temporary
  // file by default (two write() calls per page, more than the WAL itself
  // under a crowd of pledges). In memory it costs a copy; durability is the
  // WAL's, untouched.
  *sql << "PRAGMA temp_store = MEMORY";
  *sql << "PRAGMA mmap_size = 1073741824";
  return sql;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    if (text[idx] == '%' && idx + 2 < text.size()) {
      out.push_back(
          static_cast<char>(std::stoi(std::string(text.substr(idx + 1, 2)), nullptr, 16)));
      idx += 2;
    } else {
      out.push_back(text[idx]);
    }
  }
  return out;
}

std::string conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

// SOCI hands its connection string to libpq as keyword=value pairs, so the
// URL is taken apart here: postgresql://USER:PASS@HOST:PORT/DB?key=value&…
std::string postgresql_conninfo(const std::string& url) {
  std::string_view rest(url);
  rest.remove_prefix(rest.find("://") + 3);
  std::string query;
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  std::string conninfo;
  auto add = [&conninfo](const std::string& key, const std::string& value) {
    if (!value.empty()) conninfo += key + "=" + conninfo_value(value) + " ";
  };
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    const auto colon = credentials.find(':');
    add("user", percent_decoded(credentials.substr(0, colon)));
    if (colon != std::string_view::npos)
      add("password", percent_decoded(credentials.substr(colon + 1)));
    rest = rest.substr(at + 1);
  }
  const auto slash = rest.find('/');
  const std::string_view host_port = rest.substr(0, slash);
  if (slash != std::string_view::npos) add("dbname", percent_decoded(rest.substr(slash + 1)));
  const auto colon = host_port.rfind(':');
  if (colon != std::string_view::npos && host_port.find(']') == std::string_view::npos) {
    add("host", std::string(host_port.substr(0, colon)));
    add("port", std::string(host_port.substr(colon + 1)));
  } else {
    add("host", std::string(host_port));
  }
  std::string_view params(query);
  while (!params.empty()) {
    const auto amp = params.find('&');
    const std::string_view pair = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view{} : params.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos) {
      add(percent_decoded(pair.substr(0, eq)), percent_decoded(pair.substr(eq + 1)));
    }
  }
  return conninfo;
}

namespace {

std::unique_ptr<soci::session> open_postgresql(const std::string& url) {
  return std::make_unique<soci::session>(soci::postgresql, postgresql_conninfo(url));
}

std::unique_ptr<soci::session> open_any(const std::string& url) {
  return backend_of(url) == Backend::sqlite ? open_sqlite(url) : open_postgresql(url);
}

}  // namespace

namespace {

// Counts every statement a session prepares into the thread's DbWork (and
// replaces SOCI's default logger, which copies each query's text). Before
// SOCI sends a statement, the statements deferred on the connection go
// first (store/native.hpp), so that the order stays the code's.
class CountingLogger final : public soci::logger_impl {
 public:
  CountingLogger(soci::session* session, Backend backend) : session_(session), backend_(backend) {}
  void start_query(const std::string& query) override {
    native_flush(*session_, backend_);
    auto& work = app::db_work_of_this_thread();
    if (query.starts_with("BEGIN") || query == "COMMIT" || query == "ROLLBACK") return;
    ++work.statements;
  }

 private:
  logger_impl* do_clone() const override { return new CountingLogger(session_, backend_); }
  soci::session* session_;
  Backend backend_;
};

void count_statements_of(soci::session& sql, Backend backend) {
  sql.set_logger(new CountingLogger(&sql, backend));
}

}  // namespace

std::unique_ptr<soci::session> open_session(const std::string& url) {
  auto out = open_any(url);
  // As the store's own sessions: SOCI's statements send the deferred and
  // held ones first (store/native.hpp).
  count_statements_of(*out, backend_of(url));
  return out;
}

namespace {

// The read transaction a thread's reads share while a ReadScope is held
// (Store::share_reads): begun at the first read, ended (committed) when
// the scope goes or before a write. One per store and thread.
class SharedReads {
 public:
  SharedReads(soci::connection_pool& pool, Backend backend, std::string begin)
      : pool_(pool), backend_(backend), begin_(std::move(begin)) {}

  std::unique_ptr<app::ReadScope> scope() {
    auto& state = state_of_thread();
    if (state.depth > 0 && state.owner != this) return nullptr;  // another store's
    state.owner = this;
    ++state.depth;
    return std::make_unique<Scope>(*this);
  }

  // Runs fn in the shared transaction when this thread holds a scope of
  // this store; false (fn not run) otherwise.
  bool run(const std::function<void(app::ReadTx&)>& fn) {
    auto& state = state_of_thread();
    if (state.owner != this || state.depth == 0) return false;
    if (!state.tx) {
      state.sql.emplace(pool_);
      *state.sql << begin_;
      ++app::db_work_of_this_thread().read_transactions;
      state.tx.emplace(*state.sql, SqlTx::Mode::read_only, backend_);
    }
    ++state.in_use;
    try {
      fn(*state.tx);
    } catch (...) {
      --state.in_use;
      end(false);  // the transaction may be aborted (PostgreSQL): begin again next time
      throw;
    }
    --state.in_use;
    return true;
  }

  // Before a write on this thread: what is read after it must see it.
  void before_write() {
    auto& state = state_of_thread();
    if (state.owner == this) end(true);
  }

 private:
  struct State {
    SharedReads* owner = nullptr;
    int depth = 0;
    int in_use = 0;  // a read running on the transaction (a write inside it keeps it)
    std::optional<soci::session> sql;
    std::optional<SqlTx> tx;
  };
  static State& state_of_thread() {
    thread_local State state;
    return state;
  }

  class Scope final : public app::ReadScope {
   public:
    explicit Scope(SharedReads& reads) : reads_(reads) {}
    ~Scope() override {
      auto& state = state_of_thread();
      if (--state.depth == 0) {
        reads_.end(true);
        state.owner = nullptr;
      }
    }

   private:
    SharedReads& reads_;
  };

  void end(bool commit) {
    auto& state = state_of_thread();
    if (!state.tx || state.in_use > 0) return;
    state.tx.reset();
    try {
      *state.sql << (commit ? "COMMIT" : "ROLLBACK");
    } catch (...) {
      // The connection broke; the server ends the transaction on its own.
    }
    state.sql.reset();  // back to the pool
  }

  soci::connection_pool& pool_;
  Backend backend_;
  std::string begin_;
};

// The WAL copied back into the database file by a thread of its own
// (passive checkpoints every 50 ms on a connection of its own), so that the
// writer, which every write waits for, never does it inside a commit. The
// writer's connection has automatic checkpoints off; any other connection
// (the CLI's) keeps SQLite's default.
//
// A passive checkpoint never restarts the WAL: SQLite starts writing it
// from its beginning again only when a write begins with the whole WAL
// copied back and no reader on it, which a steady crowd of pledges never
// leaves (the WAL grew by ~110 MB/s, for as long as the crowd lasted, and
// every page read looked through its index: sqlite3WalFindFrame was 9 % of
// a pledge run). So once the WAL holds more than restart_frames_, this
// thread asks the writer (restart_wanted), which between two batches runs a
// RESTART checkpoint on its own connection (restart_wal): it copies what
// the passive checkpoints left (at most 50 ms of writes), waits at most
// 20 ms for readers to leave the WAL, and the writer's next batch
// writes it from its start again; journal_size_limit then gives its file
// back. (Asked of this thread instead, a RESTART almost never gets the
// write lock, which the writer takes again the moment it commits.)
class SqliteCheckpointer {
 public:
  // restart_wanted outlives it.
  SqliteCheckpointer(std::string path, int restart_frames, std::atomic<bool>& restart_wanted)
      : path_(std::move(path)), restart_frames_(restart_frames), restart_wanted_(restart_wanted) {
    thread_ = std::thread([this] { run(); });
  }
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;
  ~SqliteCheckpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "essor-checkpt");  // for top -H and perf
    sqlite_api::sqlite3* db = nullptr;
    if (sqlite_api::sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
      sqlite_api::sqlite3_close(db);
      return;
    }
    std::unique_lock lock(mutex_);
    // A connection learns that the file is in WAL mode at its first read;
    // until then a checkpoint does nothing at all (it answers -1 frames).
    bool reading = false;
    while (!wake_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping_; })) {
      lock.unlock();
      if (!reading) {
        reading = sqlite_api::sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr,
                                           nullptr, nullptr) == SQLITE_OK;
      }
      int frames = 0;
      sqlite_api::sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                            nullptr);
      if (frames > restart_frames_) restart_wanted_.store(true);
      lock.lock();
    }
    sqlite_api::sqlite3_close(db);
  }

  std::string path_;
  int restart_frames_;
  std::atomic<bool>& restart_wanted_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

std::vector<std::unique_ptr<soci::session>> sessions(std::unique_ptr<soci::session> one) {
  std::vector<std::unique_ptr<soci::session>> out;
  out.push_back(std::move(one));
  return out;
}

// A use case's write as a group writer's job: fn in a read-write
// transaction on the writer's connection.
template <class Fn>
GroupWriter::Work as_job(Fn fn, Backend backend) {
  return [fn = std::move(fn), backend](soci::session& sql) {
    SqlTx tx(sql, SqlTx::Mode::read_write, backend);
    return fn(tx);
  };
}

// On the writer's thread between two batches, when the checkpointer asked
// (SqliteCheckpointer): the WAL copied back whole, so that the next batch
// writes it from its start. Readers still on it are waited for at most
// kRestartWaitMs (then it is tried again at the checkpointer's next ask).
void restart_wal(soci::session& sql, std::atomic<bool>& wanted) {
  if (!wanted.exchange(false)) return;
  constexpr int kRestartWaitMs = 20;
  auto* db = sqlite_connection(sql);
  sqlite_api::sqlite3_busy_timeout(db, kRestartWaitMs);
  sqlite_api::sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  sqlite_api::sqlite3_busy_timeout(db, kSqliteBusyTimeoutMs);
}

// The writer's statements timed (StoreOptions::sqlite_statement_times):
// SQLite's trace callbacks, on the writer's thread, say when a statement
// starts and ends, and the time between is added to its row (timed here:
// SQLite's own profile time counts in whole milliseconds); the table is
// written out when the store closes, after the writer's connection. A
// trigger's statements count in the statement that fired it, COMMIT's in
// COMMIT (the WAL's writes and sync included).
class StatementTimes {
 public:
  explicit StatementTimes(std::string path) : path_(std::move(path)) {}
  StatementTimes(const StatementTimes&) = delete;
  StatementTimes& operator=(const StatementTimes&) = delete;
  ~StatementTimes() {
    std::vector<const std::pair<const std::string, Row>*> sorted;
    for (const auto& each : rows_) sorted.push_back(&each);
    std::sort(sorted.begin(), sorted.end(),
              [](auto* a, auto* b) { return a->second.nanoseconds > b->second.nanoseconds; });
    std::ofstream out(path_);
    out << "count\tnanoseconds\tstatement\n";
    for (const auto* each : sorted)
      out << each->second.count << '\t' << each->second.nanoseconds << '\t' << each->first << '\n';
  }
  void attach(soci::session& sql) {
    auto* db = sqlite_connection(sql);
    sqlite_api::sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
                                 &StatementTimes::traced, this);
  }

 private:
  struct Row {
    std::int64_t count = 0;
    std::int64_t nanoseconds = 0;
  };
  // Found by the statement's text without copying it (a heterogeneous lookup).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  static int traced(unsigned event, void* self, void* statement, void*) {
    auto& times = *static_cast<StatementTimes*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (event == SQLITE_TRACE_STMT) {
      // Also said as each trigger starts: the statement's own start is kept.
      times.started_.try_emplace(statement, now);
      return 0;
    }
    const auto started = times.started_.find(statement);
    if (started == times.started_.end()) return 0;
    const auto nanoseconds =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - started->second).count();
    times.started_.erase(started);
    const std::string_view text =
        sqlite_api::sqlite3_sql(static_cast<sqlite_api::sqlite3_stmt*>(statement));
    auto row = times.rows_.find(text);
    if (row == times.rows_.end()) row = times.rows_.emplace(text, Row{}).first;
    ++row->second.count;
    row->second.nanoseconds += nanoseconds;
    return 0;
  }
  std::string path_;
  std::unordered_map<void*, std::chrono::steady_clock::time_point> started_;
  std::unordered_map<std::string, Row, TextHash, std::equal_to<>> rows_;  // by text
};

std::unique_ptr<soci::session> open_sqlite_writer(const std::string& url, int restart_frames,
                                                  StatementTimes* times) {
  auto sql = open_sqlite(url, true);
  if (times) times->attach(*sql);
  *sql << "PRAGMA wal_autocheckpoint = 0";  // SqliteCheckpointer's job
  // The WAL's file cut back to twice the restart's size when it is written
  // from its start again (restart_wal), not left at its largest (in the
  // file's own page size: older databases keep 4 KiB).
  long long page_size = kSqlitePageSize;
  *sql << "PRAGMA page_size", soci::into(page_size);
  *sql << "PRAGMA journal_size_limit = " + std::to_string(2LL * restart_frames * page_size);
  return sql;
}

class SqliteStore final : public app::Store {
 public:
  SqliteStore(const std::string& url, const StoreOptions& options)
      : readers_count_(static_cast<std::size_t>(options.connections)),
        readers_(readers_count_),
        statement_times_(options.sqlite_statement_times.empty()
                             ? nullptr
                             : std::make_unique<StatementTimes>(options.sqlite_statement_times)),
        writer_(
            sessions(open_sqlite_writer(url, options.wal_restart_frames, statement_times_.get())),
            {Backend::sqlite,
             options.max_batch,
             0,
             options.metrics,
             [this](soci::session& sql) { restart_wal(sql, wal_restart_); },
             // Sessions are read on the io threads (suits_io_threads).
             {}}),
        checkpointer_(sqlite_path(url), options.wal_restart_frames, wal_restart_) {
    for (std::size_t idx = 0; idx < readers_count_; ++idx) open_reader(readers_.at(idx), url);
    for (std::size_t idx = 0; idx < kStatementReaders; ++idx)
      open_reader(statement_readers_.at(idx), url);
  }

  ~SqliteStore() override {
    writer_.stop();  // queued writes first: their thens may still read
    for (std::size_t idx = 0; idx < readers_count_; ++idx) {
      native_forget(readers_.at(idx), Backend::sqlite);
    }
    for (std::size_t idx = 0; idx < kStatementReaders; ++idx) {
      native_forget(statement_readers_.at(idx), Backend::sqlite);
    }
  }

  std::unique_ptr<app::ReadScope> share_reads() override { return shared_.scope(); }

  void read(const std::function<void(app::ReadTx&)>& fn) override {
    if (shared_.run(fn)) return;
    soci::session sql(readers_);
    // One snapshot for the whole read, so related rows agree (BEGIN and
    // COMMIT kept prepared, as every statement of a page).
    native_query(sql, Backend::sqlite, "BEGIN", {});
    ++app::db_work_of_this_thread().read_transactions;
    try {
      SqlTx tx(sql, SqlTx::Mode::read_only, Backend::sqlite);
      fn(tx);
    } catch (...) {
      native_query(sql, Backend::sqlite, "ROLLBACK", {});
      throw;
    }
    native_query(sql, Backend::sqlite, "COMMIT", {});
  }

  // On connections of their own: a one-statement read (a session, run on
  // an io thread for a pledge) never waits behind a page holding a reader
  // for its snapshot.
  void read_statement(const std::function<void(app::ReadTx&)>& fn) override {
    if (shared_.run(fn)) return;
    soci::session sql(statement_readers_);
    ++app::db_work_of_this_thread().read_transactions;  // the statement's own
    SqlTx tx(sql, SqlTx::Mode::read_only, Backend::sqlite);
    fn(tx);
  }

  void write(const std::function<bool(app::Tx&)>& fn) override {
    shared_.before_write();
    writer_.submit(as_job(std::cref(fn), Backend::sqlite));
  }

  bool suits_io_threads() const override { return true; }
  bool queues_writes() const override { return true; }

  // The caller goes on at once: a pledge's thread is not parked while its
  // batch commits (the writer calls then).
  void write_then(std::function<bool(app::Tx&)> fn,
                  std::function<void(std::exception_ptr)> then) override {
    shared_.before_write();
    writer_.submit_then(as_job(std::move(fn), Backend::sqlite), std::move(then));
  }

 private:
  static void open_reader(soci::session& sql, const std::string& url) {
    sql.open(soci::sqlite3, "db=\"" + sqlite_path(url) + "\" timeout=10");
    sql << busy_timeout_pragma();
    sql << "PRAGMA foreign_keys = ON";
    sql << "PRAGMA query_only = ON";
    // Pages read through a memory map, not one pread() system call each
    // (system calls are the dearest part of a read on virtual machines).
    sql << "PRAGMA mmap_size = 1073741824";
    count_statements_of(sql, Backend::sqlite);
  }

  static constexpr std::size_t kStatementReaders = 4;
  // Set by the checkpointer, taken by the writer (restart_wal); declared
  // first, so it outlives both.
  std::atomic<bool> wal_restart_{false};
  std::size_t readers_count_;
  soci::connection_pool readers_;
  soci::connection_pool statement_readers_{kStatementReaders};
  // Before the writer: written out after its connection closed.
  std::unique_ptr<StatementTimes> statement_times_;
  GroupWriter writer_;
  SqliteCheckpointer checkpointer_;
  SharedReads shared_{readers_, Backend::sqlite, "BEGIN"};
};

std::vector<std::unique_ptr<soci::session>> open_postgresql_writers(const std::string& url,
                                                                    int count) {
  std::vector<std::unique_ptr<soci::session>> out;
  for (int idx = 0; idx < count; ++idx) {
    out.push_back(open_postgresql(url));
    count_statements_of(*out.back(), Backend::postgresql);  // SOCI's statements flush deferred ones
  }
  return out;
}

class PostgresStore final : public app::Store {
 public:
  PostgresStore(const std::string& url, const StoreOptions& options)
      : pool_count_(static_cast<std::size_t>(options.connections)),
        pool_(pool_count_),
        writer_(options.writers <= 0
                    ? nullptr
                    : std::make_unique<GroupWriter>(
                          open_postgresql_writers(url, options.writers),
                          GroupWriterOptions{Backend::postgresql,
                                             std::min(options.max_batch, kMaxPostgresBatch),
                                             options.lock_wait_ms,
                                             options.metrics,
                                             {},
                                             read_sessions_ahead})) {
    for (std::size_t idx = 0; idx < static_cast<std::size_t>(options.connections); ++idx) {
      pool_.at(idx).open(soci::postgresql, postgresql_conninfo(url));
      count_statements_of(pool_.at(idx), Backend::postgresql);
    }
  }

  ~PostgresStore() override {
    if (writer_) writer_->stop();  // queued writes first: their thens may still read
    for (std::size_t idx = 0; idx < pool_count_; ++idx) {
      native_forget(pool_.at(idx), Backend::postgresql);
    }
  }

  std::unique_ptr<app::ReadScope> share_reads() override { return shared_.scope(); }
  bool seals_ledger_later() const override { return true; }
  // With ESSOR_DB_WRITERS=0 each write is a transaction on the caller's
  // thread.
  bool queues_writes() const override { return writer_ != nullptr; }

  void read(const std::function<void(app::ReadTx&)>& fn) override {
    if (shared_.run(fn)) return;
    soci::session sql(pool_);
    sql << kReadOnlyBegin;
    ++app::db_work_of_this_thread().read_transactions;
    try {
      SqlTx tx(sql, SqlTx::Mode::read_only, Backend::postgresql);
      fn(tx);
    } catch (...) {
      native_rollback(sql, Backend::postgresql);
      throw;
    }
    sql << "COMMIT";
  }

  void read_statement(const std::function<void(app::ReadTx&)>& fn) override {
    if (shared_.run(fn)) return;
    soci::session sql(pool_);
    ++app::db_work_of_this_thread().read_transactions;  // the statement's own
    SqlTx tx(sql, SqlTx::Mode::read_only, Backend::postgresql);
    fn(tx);
  }

  // With writers (StoreOptions::writers), grouped with others' (one
  // commit, one WAL flush for a crowd of pledges: group_writer.hpp);
  // without, a transaction of its own (write_alone).
  void write(const std::function<bool(app::Tx&)>& fn) override {
    if (!writer_) return write_alone(fn);  // no writers: each write its own transaction
    shared_.before_write();
    writer_->submit(as_job(std::cref(fn), Backend::postgresql));
  }

  // With writers, handed to them without waiting (the writer calls then);
  // without, written at once on this thread.
  void write_then(std::function<bool(app::Tx&)> fn,
                  std::function<void(std::exception_ptr)> then) override {
    write_then_for({}, {}, std::move(fn), std::move(then));
  }

  // The same; one owner's writes on one writer (group_writer.hpp's lanes),
  // a batch's sessions read at once (read_sessions_ahead).
  void write_then_for(std::string_view owner, std::string_view session,
                      std::function<bool(app::Tx&)> fn,
                      std::function<void(std::exception_ptr)> then) override {
    if (!writer_) return app::Store::write_then(std::move(fn), std::move(then));
    shared_.before_write();
    writer_->submit_then(as_job(std::move(fn), Backend::postgresql), std::move(then), owner,
                         session);
  }

  // A transaction of its own on a pooled connection. BEGIN goes with the
  // transaction's first statement, and the writes nobody reads back go
  // with COMMIT (native_defer).
  void write_alone(const std::function<bool(app::Tx&)>& fn) override {
    shared_.before_write();
    soci::session sql(pool_);
    native_defer(sql, Backend::postgresql, "BEGIN", {});
    bool keep = false;
    try {
      SqlTx tx(sql, SqlTx::Mode::read_write, Backend::postgresql);
      keep = fn(tx);
    } catch (...) {
      native_rollback(sql, Backend::postgresql);
      throw;
    }
    if (!keep) {
      native_rollback(sql, Backend::postgresql);
      return;
    }
    try {
      native_query(sql, Backend::postgresql, "COMMIT", {});
    } catch (...) {
      native_rollback(sql, Backend::postgresql);  // a deferred write failed: nothing was committed
      throw;
    }
  }

 private:
  static constexpr const char* kReadOnlyBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  // A backend keeps the ids of 64 subtransactions that wrote; beyond, every
  // other session's snapshot must look them up on disk (pg_subtrans).
  static constexpr std::size_t kMaxPostgresBatch = 60;
  std::size_t pool_count_;
  soci::connection_pool pool_;
  std::unique_ptr<GroupWriter> writer_;
  SharedReads shared_{pool_, Backend::postgresql, kReadOnlyBegin};
};

}  // namespace

Backend backend_of(const std::string& url) {
  if (url.starts_with(kSqlitePrefix)) return Backend::sqlite;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return Backend::postgresql;
  }
  throw std::runtime_error("unsupported database URL \"" + url +
                           "\": use sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB");
}

int schema_version() {
  return latest_migration_version();
}

int migrate(const std::string& url, int up_to) {
  auto sql = open_any(url);
  return apply_migrations(*sql, backend_of(url), up_to);
}

namespace {

// Before SQLite's first use in the process: no global memory statistics
// (they take one process-wide mutex on every allocation of every
// connection, which serialises the readers), and no per-connection mutex
// (a connection is only ever used by one thread at a time: a pooled reader
// or the writer thread).
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
}

}  // namespace

std::unique_ptr<app::Store> open_store(const std::string& url, const StoreOptions& options) {
  configure_sqlite_once();
  migrate(url);
  if (backend_of(url) == Backend::sqlite) return std::make_unique<SqliteStore>(url, options);
  return std::make_unique<PostgresStore>(url, options);
}

std::vector<std::string> check_integrity(const std::string& url) {
  std::vector<std::string> problems;
  auto sql = open_any(url);
  int version = 0;
  soci::indicator ind;
  *sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  if (ind != soci::i_ok || version < latest_migration_version()) {
    problems.push_back("schema is not fully migrated (run essor migrate)");
  }
  if (backend_of(url) == Backend::sqlite) {
    soci::rowset<std::string> integrity = (sql->prepare << "PRAGMA integrity_check");
    for (const auto& line : integrity) {
      if (line != "ok") problems.push_back("sqlite integrity: " + line);
    }
    soci::rowset<soci::row> orphans = (sql->prepare << "PRAGMA foreign_key_check");
    for (const auto& row : orphans) {
      problems.push_back("row of " + get_text(row, 0) + " refers to a missing row of " +
                         get_text(row, 2));
    }
  } else {
    long long orphans = 0;
    *sql << "SELECT COUNT(*) FROM memberships m LEFT JOIN users u ON u.id = m.user_id "
            "WHERE u.id IS NULL",
        soci::into(orphans);
    if (orphans > 0) problems.push_back(std::to_string(orphans) + " memberships without a user");
  }
  return problems;
}

std::string fresh_postgresql_schema(const std::string& base_url, const std::string& schema) {
  for (char c : schema) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      throw std::invalid_argument("schema names are letters, digits and _");
    }
  }
  auto sql = open_postgresql(base_url);
  *sql << "SET client_min_messages = warning";
  *sql << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
  *sql << "CREATE SCHEMA " + schema;
  return base_url + (base_url.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema;
}

void execute_for_tests(const std::string& url, const std::string& statement) {
  auto sql = open_any(url);
  *sql << statement;
}

std::vector<std::vector<std::string>> query_for_tests(const std::string& url,
                                                      const std::string& statement) {
  auto sql = open_any(url);
  std::vector<std::vector<std::string>> out;
  soci::rowset<soci::row> rows = sql->prepare << statement;
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (std::size_t idx = 0; idx < row.size(); ++idx) {
      if (row.get_indicator(idx) == soci::i_null) {
        cells.emplace_back();
      } else if (row.get_properties(idx).get_data_type() == soci::dt_string) {
        cells.push_back(row.get<std::string>(idx));
      } else {
        cells.push_back(std::to_string(get_i64(row, idx)));
      }
    }
    out.push_back(std::move(cells));
  }
  return out;
}

namespace {

constexpr int kSchedulerLockKey = 7261002;

class PostgresLease final : public LeaderLease {
 public:
  explicit PostgresLease(std::string url) : url_(std::move(url)) {}
  // A scheduler that stops lets go at once: the server ends a closed
  // connection's session (and its locks) a moment later, not at once.
  ~PostgresLease() override {
    if (!held_ || !sql_) return;
    try {
      *sql_ << "SELECT pg_advisory_unlock(" << schema_lock_args(kSchedulerLockKey) << ")";
    } catch (const std::exception&) {
      // The connection is gone already, and the lock with it.
    }
  }
  bool hold() override {
    try {
      if (held_) {
        int one = 0;
        *sql_ << "SELECT 1", soci::into(one);  // still connected, so still held
        return true;
      }
      if (!sql_) sql_ = open_postgresql(url_);
      int taken = 0;
      // The schema's own lock: each site in a schema has its own leader.
      *sql_ << "SELECT CASE WHEN pg_try_advisory_lock(" << schema_lock_args(kSchedulerLockKey)
            << ") THEN 1 ELSE 0 END",
          soci::into(taken);
      held_ = taken == 1;
    } catch (const std::exception&) {
      // The connection is gone, and the lock with it: start afresh.
      held_ = false;
      sql_.reset();
    }
    return held_;
  }

 private:
  std::string url_;
  std::unique_ptr<soci::session> sql_;
  bool held_ = false;
};

class SqliteLease final : public LeaderLease {
 public:
  explicit SqliteLease(const std::string& url) : path_(sqlite_path(url) + ".leader") {}
  ~SqliteLease() override {
    if (fd_ >= 0) ::close(fd_);
  }
  bool hold() override {
    if (held_) return true;
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    // No lock file possible (a read-only directory): lead, as a single
    // process on a SQLite file does; every step is guarded anyway.
    held_ = fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
    return held_;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace

std::unique_ptr<LeaderLease> make_leader_lease(const std::string& url) {
  if (backend_of(url) == Backend::postgresql) return std::make_unique<PostgresLease>(url);
  return std::make_unique<SqliteLease>(url);
}

}  // namespace essor::store
