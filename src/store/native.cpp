#include "store/native.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "app/metrics.hpp"

namespace essor::store {

RowText NativeRow::text(std::size_t idx) const {
  const Cell& cell = cells_.at(idx);
  if (cell.null) throw std::runtime_error("NULL where a value was expected");
  return RowText{cell.integer ? std::to_string(cell.number) : cell.text};
}

RowInteger NativeRow::i64(std::size_t idx) const {
  const Cell& cell = cells_.at(idx);
  if (cell.null) throw std::runtime_error("NULL where a number was expected");
  if (cell.integer) return {cell.number};
  std::int64_t value = 0;
  const auto [end, error] =
      std::from_chars(cell.text.data(), cell.text.data() + cell.text.size(), value);
  if (error != std::errc{} || end != cell.text.data() + cell.text.size()) {
    throw std::runtime_error("not an integer: " + cell.text);
  }
  return {value};
}

RowOptionalText NativeRow::opt(std::size_t idx) const {
  if (cells_.at(idx).null) return RowOptionalText{std::nullopt};
  return RowOptionalText{text(idx)};
}

RowOptionalInteger NativeRow::opt_i64(std::size_t idx) const {
  if (cells_.at(idx).null) return {};
  return {i64(idx).value};
}

std::string numbered_parameters(const std::string& query) {
  std::string out;
  out.reserve(query.size() + 16);
  int next = 0;
  bool quoted = false;
  for (char c : query) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$' + std::to_string(++next);
    } else {
      out += c;
    }
  }
  return out;
}

std::string backend_query(const std::string& query, Backend backend) {
  static constexpr std::string_view kMarker = "ID_LIST(?)";
  const std::string_view rows = backend == Backend::postgresql
                                    ? "(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))"
                                    : "(SELECT value FROM json_each(?))";
  std::string out = query;
  for (auto at = out.find(kMarker); at != std::string::npos; at = out.find(kMarker, at)) {
    out.replace(at, kMarker.size(), rows);
    at += rows.size();
  }
  return backend == Backend::postgresql ? numbered_parameters(out) : out;
}

namespace {

using namespace sqlite_api;  // where SOCI's header put sqlite3.h

// A read kept for the rest of the group commit's batch (native_query_kept).
struct KeptRead {
  const char* query;
  std::vector<Param> params;
  std::vector<const char*> tables;
  std::vector<NativeRow> rows;
};

// The rows of query with params among kept, or null.
const std::vector<NativeRow>* kept_rows(const std::vector<KeptRead>& kept, const char* query,
                                        const std::vector<Param>& params) {
  for (const auto& each : kept)
    if (each.query == query && each.params == params) return &each.rows;
  return nullptr;
}

// Keeps the rows of a read (a batch has a few dozen jobs, each with a
// read or two of its own: a bound, not a limit reached in use).
void keep_read(std::vector<KeptRead>& kept, const char* query, std::vector<Param> params,
               std::initializer_list<const char*> tables, std::vector<NativeRow> rows) {
  constexpr std::size_t kMostKept = 192;
  if (kept.size() < kMostKept) kept.push_back({query, std::move(params), tables, std::move(rows)});
}

// The statements kept for one connection. A connection is used by one
// thread at a time (a pooled session, or the writer's), so a cache needs
// no lock of its own; only finding it does.
struct SqliteCache {
  std::unordered_map<const char*, sqlite3_stmt*> statements;  // by the query's address
  bool keeping = false;  // between native_hold_batch(true) and (false)
  std::vector<KeptRead> kept;
  ~SqliteCache() {
    for (auto& [query, statement] : statements) sqlite3_finalize(statement);
  }
};

// The connection's update hook while a batch keeps reads: a changed row
// of a table that a kept read reads forgets every kept read.
void forget_kept_reads(void* arg, int, const char*, const char* table, sqlite3_int64) {
  auto& cache = *static_cast<SqliteCache*>(arg);
  for (const auto& each : cache.kept) {
    for (const char* name : each.tables) {
      if (std::strcmp(name, table) == 0) {
        cache.kept.clear();
        return;
      }
    }
  }
}

struct PostgresCache {
  std::unordered_map<const char*, std::string> names;  // query's address → prepared name
  // Deferred statements, sent with the next one (native_defer).
  struct Deferred {
    const char* query;
    std::vector<Param> params;
    // Held rows' statement, or a job's write sent after the job ended
    // (native_hold_deferred): its failure reruns the batch.
    bool held = false;
  };
  std::vector<Deferred> deferred;
  // Rows held to the batch's end (native_hold), with the job that wrote each.
  struct HeldRow {
    std::size_t job;
    const HeldWrite* write;
    std::vector<Param> params;
  };
  bool holding = false;
  std::size_t job = 0;
  std::vector<HeldRow> held;
  // Reads kept while holding (native_query_kept), forgotten by any
  // statement that does not say Held::unaffected.
  std::vector<KeptRead> kept;
  std::vector<HeldRow> sent_in_job;  // held rows sent during the current job
  std::vector<HeldRow> sent_before;  // and by the batch's earlier jobs, kept

  struct Check {
    Sql query;
    std::vector<Param> params;
  };
  std::vector<Check> checks;  // the current job's (native_hold_check)
  bool hold_failed = false;
};

// Adds a value to a PostgreSQL array's text form.
void add_to_array(std::string& out, const Param& value) {
  if (out.size() > 1) out += ',';
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*number);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    // Quoted, a backslash before each quote or backslash; the spans
    // between them copied whole (an answer's JSON is a kilobyte).
    out += '"';
    std::string_view rest = *text;
    for (auto at = rest.find_first_of("\"\\"); at != std::string_view::npos;
         at = rest.find_first_of("\"\\")) {
      out.append(rest.substr(0, at));
      out += '\\';
      out += rest[at];
      rest.remove_prefix(at + 1);
    }
    out.append(rest);
    out += '"';
  } else {
    out += "NULL";
  }
}

// A PostgreSQL array's text form of one column of the rows at these places.
std::string column_array(const std::vector<PostgresCache::HeldRow>& rows,
                         const std::vector<std::size_t>& at, std::size_t column) {
  std::string out = "{";
  for (const std::size_t idx : at) add_to_array(out, rows[idx].params.at(column));
  out += '}';
  return out;
}

// Before a statement that does not say Held::unaffected: queues the held
// rows' statements (one per kind, kinds in the order each was first held)
// ahead of whatever is deferred next, and forgets the kept reads (that
// statement may change what they read).
void release_held(PostgresCache& cache) {
  cache.kept.clear();
  if (cache.held.empty()) return;
  auto rows = std::move(cache.held);
  cache.held.clear();
  std::vector<const HeldWrite*> kinds;
  for (const auto& row : rows)
    if (std::find(kinds.begin(), kinds.end(), row.write) == kinds.end()) kinds.push_back(row.write);
  for (const HeldWrite* kind : kinds) {
    std::vector<std::size_t> at;
    for (std::size_t idx = 0; idx < rows.size(); ++idx)
      if (rows[idx].write == kind) at.push_back(idx);
    std::vector<Param> arrays;
    for (std::size_t column = 0; column < rows[at.front()].params.size(); ++column)
      arrays.emplace_back(column_array(rows, at, column));
    cache.deferred.push_back({kind->many_rows.text, std::move(arrays), true});
  }
  // Kept until the job ends: if it rolls back, so are these rows.
  for (auto& row : rows) cache.sent_in_job.push_back(std::move(row));
}

template <typename Cache>
struct Caches {
  std::mutex mutex;
  std::unordered_map<const void*, std::unique_ptr<Cache>> by_connection;  // GUARDED_BY(mutex)
};

template <typename Cache>
Caches<Cache>& caches() {
  static Caches<Cache> all;
  return all;
}

template <typename Cache>
Cache& cache_of(const void* connection) {
  auto& all = caches<Cache>();
  std::lock_guard lock(all.mutex);
  auto& slot = all.by_connection[connection];
  if (!slot) slot = std::make_unique<Cache>();
  return *slot;
}

template <typename Cache>
void forget(const void* connection) {
  std::unique_ptr<Cache> gone;
  auto& all = caches<Cache>();
  std::lock_guard lock(all.mutex);
  if (auto it = all.by_connection.find(connection); it != all.by_connection.end()) {
    gone = std::move(it->second);
    all.by_connection.erase(it);
  }
}

// changed, when given, is set to how many rows the statement changed.
std::vector<NativeRow> sqlite_query(sqlite3* db, const char* query,
                                    const std::vector<Param>& params,
                                    std::int64_t* changed = nullptr) {
  auto& cache = cache_of<SqliteCache>(db);
  sqlite3_stmt*& statement = cache.statements[query];
  if (!statement) {
    const std::string text = backend_query(query, Backend::sqlite);
    if (sqlite3_prepare_v3(db, text.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK) {
      statement = nullptr;
      cache.statements.erase(query);
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
  }
  sqlite3_stmt* st = statement;
  struct Reset {
    sqlite3_stmt* st;
    ~Reset() {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    }
  } reset{st};
  for (std::size_t idx = 0; idx < params.size(); ++idx) {
    const int at = static_cast<int>(idx) + 1;
    if (const auto* number = std::get_if<std::int64_t>(&params[idx])) {
      sqlite3_bind_int64(st, at, *number);
    } else if (const auto* text = std::get_if<std::string>(&params[idx])) {
      sqlite3_bind_text(st, at, text->data(), static_cast<int>(text->size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_null(st, at);
    }
  }
  std::vector<NativeRow> rows;
  const int columns = sqlite3_column_count(st);
  for (;;) {
    const int step = sqlite3_step(st);
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    std::vector<NativeRow::Cell> cells(static_cast<std::size_t>(columns));
    for (int col = 0; col < columns; ++col) {
      auto& cell = cells[static_cast<std::size_t>(col)];
      switch (sqlite3_column_type(st, col)) {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          cell.null = false;
          cell.integer = true;
          cell.number = sqlite3_column_int64(st, col);
          break;
        default: {
          cell.null = false;
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
          cell.text.assign(text, static_cast<std::size_t>(sqlite3_column_bytes(st, col)));
        }
      }
    }
    rows.emplace_back(std::move(cells));
  }
  if (changed) *changed = sqlite3_changes64(db);
  return rows;
}

// The prepared statement's name on this connection, prepared on first use.
const std::string& postgres_prepared(PGconn* conn, PostgresCache& cache, const char* query,
                                     std::size_t param_count) {
  auto found = cache.names.find(query);
  if (found == cache.names.end()) {
    const std::string name = "essor_" + std::to_string(cache.names.size() + 1);
    const std::string text = backend_query(query, Backend::postgresql);
    PGresult* prepared =
        PQprepare(conn, name.c_str(), text.c_str(), static_cast<int>(param_count), nullptr);
    const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
    const std::string message = ok ? "" : PQresultErrorMessage(prepared);
    PQclear(prepared);
    if (!ok) throw std::runtime_error("postgresql: " + message);
    found = cache.names.emplace(query, name).first;
  }
  return found->second;
}

// libpq's parameter values: texts, NULL for a null.
struct PostgresValues {
  explicit PostgresValues(const std::vector<Param>& params)
      : texts(params.size()), values(params.size(), nullptr) {
    for (std::size_t idx = 0; idx < params.size(); ++idx) {
      if (const auto* number = std::get_if<std::int64_t>(&params[idx])) {
        texts[idx] = std::to_string(*number);
        values[idx] = texts[idx].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[idx])) {
        values[idx] = text->c_str();
      }
    }
  }
  std::vector<std::string> texts;
  std::vector<const char*> values;
};

struct ClearResult {
  PGresult* result;
  ~ClearResult() { PQclear(result); }
};

std::vector<NativeRow> rows_of(PGresult* result);

// How many rows a command changed, from its tag (0 for one that changes none).
std::int64_t changed_by(PGresult* result) {
  const char* tuples = PQcmdTuples(result);
  std::int64_t count = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), count);
  return count;
}

// The error of a failed result: LockWaitAbandoned when the server gave up
// waiting for a lock (lock_not_available, deadlock_detected).
[[noreturn]] void throw_error(const std::string& message, const char* sqlstate) {
  const std::string state = sqlstate ? sqlstate : "";
  if (state == "55P03" || state == "40P01") throw LockWaitAbandoned("postgresql: " + message);
  throw std::runtime_error("postgresql: " + message);
}

// The deferred statements and then query (when not null), in one round
// trip: libpq's pipeline mode. The first error fails the whole (the
// server skips what follows it, and the transaction is aborted).
std::vector<NativeRow> postgres_pipeline(PGconn* conn, PostgresCache& cache, const char* query,
                                         const std::vector<Param>& params,
                                         std::int64_t* changed = nullptr) {
  auto deferred = std::move(cache.deferred);
  cache.deferred.clear();
  if (query) deferred.push_back({query, params});
  std::vector<const std::string*> names;
  names.reserve(deferred.size());
  for (const auto& each : deferred)
    names.push_back(&postgres_prepared(conn, cache, each.query, each.params.size()));
  if (PQenterPipelineMode(conn) != 1)
    throw std::runtime_error(std::string("postgresql: ") + PQerrorMessage(conn));
  struct Leave {
    PGconn* conn;
    ~Leave() { PQexitPipelineMode(conn); }
  } leave{conn};
  for (std::size_t idx = 0; idx < deferred.size(); ++idx) {
    const PostgresValues values(deferred[idx].params);
    if (PQsendQueryPrepared(conn, names[idx]->c_str(),
                            static_cast<int>(deferred[idx].params.size()), values.values.data(),
                            nullptr, nullptr, 0) != 1)
      throw std::runtime_error(std::string("postgresql: ") + PQerrorMessage(conn));
  }
  if (PQpipelineSync(conn) != 1)
    throw std::runtime_error(std::string("postgresql: ") + PQerrorMessage(conn));
  std::string error, error_state;
  std::vector<NativeRow> last;
  for (std::size_t idx = 0; idx < deferred.size(); ++idx) {
    PGresult* result = PQgetResult(conn);
    const ClearResult clear{result};
    const auto status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      if (idx + 1 == deferred.size()) {
        last = rows_of(result);
        if (changed) *changed = changed_by(result);
      }
    } else if (error.empty()) {
      error = status == PGRES_PIPELINE_ABORTED ? "pipeline aborted" : PQresultErrorMessage(result);
      if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) error_state = state;
      if (deferred[idx].held) cache.hold_failed = true;
    }
    while (PGresult* more = PQgetResult(conn)) PQclear(more);  // the command's end
  }
  // The Sync's own result ends the pipeline.
  while (PGresult* result = PQgetResult(conn)) {
    const bool sync = PQresultStatus(result) == PGRES_PIPELINE_SYNC;
    PQclear(result);
    if (sync) break;
  }
  if (!error.empty()) throw_error(error, error_state.c_str());
  return last;
}

std::vector<NativeRow> postgres_query(PGconn* conn, const char* query,
                                      const std::vector<Param>& params, Held held,
                                      std::int64_t* changed = nullptr) {
  auto& cache = cache_of<PostgresCache>(conn);
  if (held == Held::release_first) release_held(cache);
  if (!cache.deferred.empty()) return postgres_pipeline(conn, cache, query, params, changed);
  const std::string& name = postgres_prepared(conn, cache, query, params.size());
  const PostgresValues values(params);
  PGresult* result = PQexecPrepared(conn, name.c_str(), static_cast<int>(params.size()),
                                    values.values.data(), nullptr, nullptr, 0);
  const ClearResult clear{result};
  const auto status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    throw_error(PQresultErrorMessage(result), PQresultErrorField(result, PG_DIAG_SQLSTATE));
  }
  if (changed) *changed = changed_by(result);
  return rows_of(result);
}

std::vector<NativeRow> rows_of(PGresult* result) {
  std::vector<NativeRow> rows;
  const int count = PQntuples(result), columns = PQnfields(result);
  rows.reserve(static_cast<std::size_t>(count));
  for (int row = 0; row < count; ++row) {
    std::vector<NativeRow::Cell> cells(static_cast<std::size_t>(columns));
    for (int col = 0; col < columns; ++col) {
      if (PQgetisnull(result, row, col)) continue;
      auto& cell = cells[static_cast<std::size_t>(col)];
      cell.null = false;
      cell.text.assign(PQgetvalue(result, row, col),
                       static_cast<std::size_t>(PQgetlength(result, row, col)));
    }
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

}  // namespace

std::string postgres_array(const std::vector<Param>& values) {
  std::string out = "{";
  for (const auto& value : values) add_to_array(out, value);
  out += '}';
  return out;
}

// BEGIN and COMMIT are not counted, as the sessions' logger does not.
bool counted(const char* query) {
  return std::strcmp(query, "BEGIN") != 0 && std::strcmp(query, "COMMIT") != 0;
}

sqlite3* sqlite_connection(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

namespace {

// The libpq connection under a session opened on PostgreSQL.
PGconn* postgres_connection(soci::session& sql) {
  return static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
}

// Either back end's query, counted; changed as sqlite_query's.
std::vector<NativeRow> run_query(soci::session& sql, Backend backend, Sql query,
                                 const std::vector<Param>& params, Held held,
                                 std::int64_t* changed) {
  if (counted(query.text)) ++app::db_work_of_this_thread().statements;
  if (backend == Backend::sqlite) {
    return sqlite_query(sqlite_connection(sql), query.text, params, changed);
  }
  return postgres_query(postgres_connection(sql), query.text, params, held, changed);
}

SqliteCache* sqlite_cache(soci::session& sql, Backend backend) {
  if (backend != Backend::sqlite || !sql.get_backend()) return nullptr;
  return &cache_of<SqliteCache>(sqlite_connection(sql));
}

PostgresCache* postgres_cache(soci::session& sql, Backend backend) {
  if (backend == Backend::sqlite || !sql.get_backend()) return nullptr;
  return &cache_of<PostgresCache>(postgres_connection(sql));
}

// The reads kept now on this connection (native_query_kept), or null.
std::vector<KeptRead>* kept_reads(soci::session& sql, Backend backend) {
  if (auto* lite = sqlite_cache(sql, backend)) {
    if (lite->keeping && native_write_locked(sql, backend)) return &lite->kept;
  } else if (auto* pg = postgres_cache(sql, backend); pg && pg->holding) {
    return &pg->kept;
  }
  return nullptr;
}

}  // namespace

std::vector<NativeRow> native_query(soci::session& sql, Backend backend, Sql query,
                                    const std::vector<Param>& params, Held held) {
  return run_query(sql, backend, query, params, held, nullptr);
}

std::vector<NativeRow> native_query_kept(soci::session& sql, Backend backend, Sql query,
                                         const std::vector<Param>& params,
                                         std::initializer_list<const char*> tables, Held held) {
  std::vector<KeptRead>* kept = kept_reads(sql, backend);
  if (!kept) return native_query(sql, backend, query, params, held);
  if (const auto* rows = kept_rows(*kept, query.text, params)) return *rows;
  auto rows = native_query(sql, backend, query, params, held);
  keep_read(*kept, query.text, params, tables, rows);
  return rows;
}

void native_keep(soci::session& sql, Backend backend, Sql query, std::vector<Param> params,
                 std::initializer_list<const char*> tables, std::vector<NativeRow> rows) {
  std::vector<KeptRead>* kept = kept_reads(sql, backend);
  if (kept && !kept_rows(*kept, query.text, params))
    keep_read(*kept, query.text, std::move(params), tables, std::move(rows));
}

std::int64_t native_changes(soci::session& sql, Backend backend, Sql query,
                            const std::vector<Param>& params, Held held) {
  std::int64_t changed = 0;
  run_query(sql, backend, query, params, held, &changed);
  return changed;
}

void native_defer(soci::session& sql, Backend backend, Sql query, std::vector<Param> params,
                  Held held) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) {
    native_query(sql, backend, query, params);
    return;
  }
  if (counted(query.text)) ++app::db_work_of_this_thread().statements;
  if (held == Held::release_first) release_held(*cache);
  cache->deferred.push_back({query.text, std::move(params)});
}

void native_flush(soci::session& sql, Backend backend, Held held) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  if (held == Held::release_first) release_held(*cache);
  if (!cache->deferred.empty()) postgres_pipeline(postgres_connection(sql), *cache, nullptr, {});
}

void native_hold(soci::session& sql, Backend backend, const HeldWrite& write,
                 std::vector<Param> row) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache || !cache->holding) {
    native_defer(sql, backend, write.one_row, std::move(row));
    return;
  }
  ++app::db_work_of_this_thread().statements;
  cache->held.push_back({cache->job, &write, std::move(row)});
}

void native_hold_batch(soci::session& sql, Backend backend, bool on) {
  if (auto* lite = sqlite_cache(sql, backend)) {
    lite->keeping = on;
    lite->kept.clear();
    sqlite3_update_hook(sqlite_connection(sql), on ? forget_kept_reads : nullptr,
                        on ? lite : nullptr);
    return;
  }
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  cache->holding = on;
  cache->job = 0;
  cache->kept.clear();
  cache->held.clear();
  cache->sent_in_job.clear();
  cache->sent_before.clear();
  cache->checks.clear();
  cache->hold_failed = false;
}

bool native_holding(soci::session& sql, Backend backend) {
  auto* cache = postgres_cache(sql, backend);
  return cache && cache->holding;
}

bool native_write_locked(soci::session& sql, Backend backend) {
  if (backend != Backend::sqlite) return false;
  return sqlite3_txn_state(sqlite_connection(sql), "main") == SQLITE_TXN_WRITE;
}

bool native_held(soci::session& sql, Backend backend, const HeldWrite& write,
                 const std::vector<Param>& first) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return false;
  const auto same = [&](const PostgresCache::HeldRow& row) {
    return row.write == &write && row.params.size() >= first.size() &&
           std::equal(first.begin(), first.end(), row.params.begin());
  };
  return std::any_of(cache->held.begin(), cache->held.end(), same) ||
         std::any_of(cache->sent_in_job.begin(), cache->sent_in_job.end(), same) ||
         std::any_of(cache->sent_before.begin(), cache->sent_before.end(), same);
}

void native_hold_job(soci::session& sql, Backend backend, std::size_t job) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  cache->job = job;
  // The previous job kept them (a job rolled back took its own back).
  std::move(cache->sent_in_job.begin(), cache->sent_in_job.end(),
            std::back_inserter(cache->sent_before));
  cache->sent_in_job.clear();
  cache->checks.clear();
}

void native_hold_check(soci::session& sql, Backend backend, Sql query, std::vector<Param> params) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache || !cache->holding) return;
  cache->checks.push_back({query, std::move(params)});
}

void native_hold_undo_job(soci::session& sql, Backend backend) {
  if (auto* lite = sqlite_cache(sql, backend)) {
    lite->kept.clear();  // read before the rollback, maybe of what it undid
    return;
  }
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  cache->kept.clear();  // read before the rollback (which also let go of its lock)
  const std::size_t job = cache->job;
  std::vector<PostgresCache::HeldRow> again;
  for (auto& row : cache->sent_in_job)
    if (row.job != job) again.push_back(std::move(row));
  for (auto& row : cache->held)
    if (row.job != job) again.push_back(std::move(row));
  cache->held = std::move(again);
  cache->sent_in_job.clear();
  // What the job took on trust, looked at now that its work is undone.
  auto checks = std::move(cache->checks);
  cache->checks.clear();
  for (const auto& check : checks) {
    if (!native_query(sql, backend, check.query, check.params, Held::unaffected).empty())
      cache->hold_failed = true;
  }
}

void native_hold_deferred(soci::session& sql, Backend backend) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  for (auto& each : cache->deferred) each.held = true;
}

bool native_hold_failed(soci::session& sql, Backend backend) {
  auto* cache = postgres_cache(sql, backend);
  return cache && cache->hold_failed;
}

void native_discard(soci::session& sql, Backend backend) {
  auto* cache = postgres_cache(sql, backend);
  if (!cache) return;
  cache->deferred.clear();
  cache->kept.clear();
  cache->held.clear();
  cache->sent_in_job.clear();
  cache->sent_before.clear();
}

void native_rollback(soci::session& sql, Backend backend) {
  native_discard(sql, backend);
  if (auto* lite = sqlite_cache(sql, backend)) lite->kept.clear();
  try {
    sql << "ROLLBACK";
  } catch (...) {
    // The connection broke; the server rolls back on its own.
  }
}

void native_forget(soci::session& sql, Backend backend) {
  if (!sql.get_backend()) return;
  if (backend == Backend::sqlite) {
    sqlite3_update_hook(sqlite_connection(sql), nullptr, nullptr);  // it points at the cache
    forget<SqliteCache>(sqlite_connection(sql));
  } else {
    forget<PostgresCache>(postgres_connection(sql));
  }
}

}  // namespace essor::store
