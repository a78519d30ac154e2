// Versioned schema migrations, embedded in the binary. Each is applied once,
// in its own transaction, recorded in schema_migrations; concurrent runs are
// serialised (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL).
#pragma once

#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

// Returns how many migrations were applied.
int apply_migrations(soci::session& sql, Backend backend, int up_to = 1 << 30);
int latest_migration_version();

}  // namespace essor::store
