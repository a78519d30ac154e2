// Statements prepared once per connection and kept, through the native
// sqlite3 and libpq APIs under SOCI's sessions. SOCI prepares every
// statement again on SQLite, and on PostgreSQL a SOCI rowset costs three
// round trips (PREPARE, EXECUTE, DEALLOCATE); here a statement is parsed
// once per connection and each later use is one step (SQLite) or one round
// trip (PostgreSQL). The reads of every page go this way.
//
// Queries use "?" for their parameters (turned into $1, $2… for
// PostgreSQL), and ID_LIST(?) for a list of ids given as one JSON array
// (json_ids in store/sql_helpers.hpp), usable after IN: each back end's
// way of turning it into rows is put in once, when the statement is
// prepared. Not thread-safe: like its session, one thread at a time.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "store/database.hpp"
#include "store/row_integer.hpp"
#include "store/row_text.hpp"

namespace sqlite_api {
struct sqlite3;  // where SOCI's header puts sqlite3.h
}

namespace essor::store {

// A parameter: NULL, an integer or a text.
using Param = std::variant<std::nullptr_t, std::int64_t, std::string>;

class NativeRow {
 public:
  struct Cell {
    bool null = true;
    bool integer = false;
    std::int64_t number = 0;
    std::string text;
  };
  explicit NativeRow(std::vector<Cell> cells) : cells_(std::move(cells)) {}
  RowText text(std::size_t idx) const;
  RowInteger i64(std::size_t idx) const;
  RowOptionalText opt(std::size_t idx) const;
  RowOptionalInteger opt_i64(std::size_t idx) const;
  std::size_t size() const { return cells_.size(); }

 private:
  std::vector<Cell> cells_;
};

// A query's text, kept by its address: only a literal (or another constant
// array) converts to it, so the address names one text for ever.
struct Sql {
  template <std::size_t N>
  consteval Sql(const char (&literal)[N]) : text(literal) {}  // NOLINT: implicit on purpose
  const char* text;
};

// A statement gave up waiting for a lock (PostgreSQL's lock_timeout, or
// its deadlock detector): nothing of it happened.
class LockWaitAbandoned : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The accessors of store/sql_helpers.hpp for these rows, so that one
// mapping function (a template) reads both kinds of row.
inline RowText get_text(const NativeRow& row, std::size_t idx) {
  return row.text(idx);
}
inline RowInteger get_i64(const NativeRow& row, std::size_t idx) {
  return row.i64(idx);
}
inline RowOptionalText get_opt(const NativeRow& row, std::size_t idx) {
  return RowOptionalText{row.opt(idx)};
}
inline RowOptionalInteger get_opt_i64(const NativeRow& row, std::size_t idx) {
  return row.opt_i64(idx);
}

// Whether a statement may run while rows are held (native_hold, below):
// by default the held rows are sent first, so that every statement sees
// what was written before it. Only a statement that neither reads nor
// writes what a held row writes (nor anything its triggers write) may say
// unaffected: it then runs before the held rows, which changes nothing.
// On PostgreSQL, one that says unaffected must also change nothing that a
// kept read reads (native_query_kept): every other statement forgets them.
enum class Held { release_first, unaffected };

// Runs query (kept prepared on this session's connection) with params and
// returns its rows. Counted in the thread's DbWork like SOCI's statements.
// Throws std::runtime_error with the database's message on failure.
std::vector<NativeRow> native_query(soci::session& sql, Backend backend, Sql query,
                                    const std::vector<Param>& params,
                                    Held held = Held::release_first);

// Runs a statement that returns no rows (an INSERT, UPDATE or DELETE,
// kept prepared) and returns how many rows it changed itself, its
// triggers' changes not counted: SQLite's sqlite3_changes, PostgreSQL's
// command tag. Where only that count matters, cheaper than RETURNING,
// for which SQLite builds and drops a temporary table each time.
std::int64_t native_changes(soci::session& sql, Backend backend, Sql query,
                            const std::vector<Param>& params, Held held = Held::release_first);

// A statement whose result nobody needs now (BEGIN, an insert whose
// failure fails the transaction anyway): on PostgreSQL queued and sent with
// the next statement of this connection in one round trip (libpq's
// pipeline mode), its error thrown there; on SQLite run at once. Whatever
// sends a statement another way first calls native_flush (the sessions'
// logger does, for SOCI's).
void native_defer(soci::session& sql, Backend backend, Sql query, std::vector<Param> params,
                  Held held = Held::release_first);
void native_flush(soci::session& sql, Backend backend, Held held = Held::release_first);

// A read of the group commit's writer kept for the rest of its batch:
// asked again with the same parameters, its rows come from memory without
// a statement, until a job is rolled back to its savepoint or the batch
// itself may have changed what it read:
// - SQLite, while the batch holds the database's write lock
//   (native_write_locked): until a row of one of tables changes (the
//   connection's update hook says so; nothing else writes while it holds
//   the lock). tables: every table query reads, each a rowid table (the
//   hook does not see WITHOUT ROWID tables) that nothing changes by REPLACE
//   or by a DELETE without WHERE (whose rows the hook does not see either).
// - PostgreSQL, while the batch holds rows (native_holding): until any
//   statement that does not say Held::unaffected (SOCI's included). A read
//   that locks rows keeps them locked to the batch's commit, once its
//   job's savepoint is released (a rollback to it lets go of the lock, and
//   forgets the read). Other transactions may change what it read,
//   without its lock's leave, as they may between a read and the commit.
// Elsewhere, it is native_query.
std::vector<NativeRow> native_query_kept(soci::session& sql, Backend backend, Sql query,
                                         const std::vector<Param>& params,
                                         std::initializer_list<const char*> tables,
                                         Held held = Held::release_first);

// Keeps rows as what native_query_kept(query, params, tables) returns for
// the rest of the batch, read by a statement that read them for many jobs
// at once (GroupWriterOptions::read_ahead); nothing when reads are not
// kept now.
void native_keep(soci::session& sql, Backend backend, Sql query, std::vector<Param> params,
                 std::initializer_list<const char*> tables, std::vector<NativeRow> rows);

// A write whose rows of many jobs of one group commit (store/group_writer)
// may be sent as one statement at the batch's end, on PostgreSQL: a
// pledge's row and its transfer. PostgreSQL then runs one statement for a
// batch instead of one per pledge, which costs it a fraction per row.
// one_row takes a row's parameters; many_rows takes the same ones, each as
// an array of the batch's values in PostgreSQL's text form ("?::text[]")
// and keeps their order (WITH ORDINALITY … ORDER BY).
struct HeldWrite {
  Sql one_row;
  Sql many_rows;
};
// Holds the row while the session's group commit holds rows (see
// native_hold_batch), else defers one_row like native_defer. Held rows are
// sent, one statement per kind in the order each kind was first held,
// before any statement that does not say Held::unaffected (SOCI's too,
// through the sessions' logger), and at the latest by the batch's commit.
// So a row of one kind must never need a row of a kind held after it.
void native_hold(soci::session& sql, Backend backend, const HeldWrite& write,
                 std::vector<Param> row);
// The group commit's side: rows are held (PostgreSQL) from
// native_hold_batch(true) to native_hold_batch(false), which drops what is
// still held (the batch committed it or rolled it back). Each job in its
// savepoint begins with native_hold_job; after ROLLBACK TO its savepoint,
// native_hold_undo_job drops the job's rows and holds again the earlier
// jobs' rows that were sent inside it (the rollback took them back). Reads
// are kept (native_query_kept) between the same two calls and forgotten by
// native_hold_undo_job.
void native_hold_batch(soci::session& sql, Backend backend, bool on);
// Whether native_hold holds rows now (a group commit's batch on PostgreSQL).
bool native_holding(soci::session& sql, Backend backend);
// SQLite: whether this connection's transaction holds the database's
// write lock (BEGIN IMMEDIATE, as the group commit's writer begins), so
// that nothing else writes until it ends. False on PostgreSQL.
bool native_write_locked(soci::session& sql, Backend backend);
// Whether a row of write whose first parameters are these is held in this
// batch, sent or not (a job rolled back took its own rows back).
bool native_held(soci::session& sql, Backend backend, const HeldWrite& write,
                 const std::vector<Param>& first);
void native_hold_job(soci::session& sql, Backend backend, std::size_t job);
void native_hold_undo_job(soci::session& sql, Backend backend);
// What a job took on trust, which only this query can disprove (a key
// claimed without a look, store/sql_tx_campaigns.cpp): kept for the
// current job. If the job is kept, its held rows prove it; if it is rolled
// back (its work refused), native_hold_undo_job runs the query, and a row
// found makes the batch run again unheld (native_hold_failed).
void native_hold_check(soci::session& sql, Backend backend, Sql query, std::vector<Param> params);
// Counts the statements deferred so far (a job's last writes, its
// savepoint's release) as held ones: sent with a later job's first round
// trip, their failure is not that job's, so it runs the batch again.
void native_hold_deferred(soci::session& sql, Backend backend);
// Whether sending held rows failed in this batch: which job's row broke
// the statement is unknown, so the batch is run again without holding.
bool native_hold_failed(soci::session& sql, Backend backend);
// Drops what is queued (the transaction is rolled back).
void native_discard(soci::session& sql, Backend backend);
// Drops what is queued and rolls the transaction back; a broken
// connection is left to the server, which rolls back on its own.
void native_rollback(soci::session& sql, Backend backend);

// Drops what was kept for this session's connection; called before the
// connection closes (SQLite cannot close with statements still open).
void native_forget(soci::session& sql, Backend backend);

// The SQLite connection under a session opened on SQLite.
sqlite_api::sqlite3* sqlite_connection(soci::session& sql);

// The values as one PostgreSQL array in its text form, for a parameter
// "?::text[]" (or another type).
std::string postgres_array(const std::vector<Param>& values);

// "SELECT …" with "?" parameters → "SELECT …" with $1, $2… (outside quoted
// text), for PostgreSQL. Exposed for tests.
std::string numbered_parameters(const std::string& query);

// The query as the back end takes it: ID_LIST(?) written out, and the
// parameters numbered for PostgreSQL. Exposed for tests.
std::string backend_query(const std::string& query, Backend backend);

}  // namespace essor::store
