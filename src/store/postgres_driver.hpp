#pragma once
/// PostgreSQL 15 through libpq: one session per Connection, statements prepared once per
/// session (named server-side prepared statements), SQL rewritten from the store's SQLite
/// spelling as it is prepared (store/postgres_sql.hpp).
///
/// What differs from SQLite, and how the driver keeps the store's reading of it:
/// - A failed statement inside a transaction aborts the whole transaction on PostgreSQL, where
///   SQLite carries on; a use case that meets a constraint refusal (an expected outcome) goes
///   on with other statements. So a write inside a transaction runs under its own savepoint,
///   rolled back when the statement fails.
/// - Errors come as SQLSTATEs; each is mapped to the SQLite result code of the same meaning
///   (StoreError), so ErrorOf and the writer's failure handling read both alike: class 23 is a
///   constraint refusal, serialization failures and lock timeouts are busy, a lost server or
///   a read-only standby is storage unavailable.
/// - Results are read in text format; bytea arrives hex-encoded and is decoded on read.

#include <memory>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace swabline::store {

/// Opens a session on the database at `url` (a libpq connection URI). A read-only connection
/// makes every transaction read-only, so a write through it fails rather than lands.
std::unique_ptr<Driver> OpenPostgres(const std::string& url, OpenMode mode);

/// The SQLite result code a SQLSTATE means (SQLITE_ERROR for what has no closer match).
int SqliteCodeOf(std::string_view sqlstate);

}  // namespace swabline::store
