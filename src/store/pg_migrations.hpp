#pragma once
/// The PostgreSQL 15 schema: one migration per SQLite schema version of migrations.cpp, the
/// same tables, columns, keys, indexes and triggers after each (tests/pg/schema_test.sh
/// checks it). The SQL lives in src/store/pg/NNNN.sql and is embedded at build time
/// (cmake/embed_sql.cmake).

#include <span>
#include <string_view>

namespace swabline::store {

/// Entry i is the SQL of schema version i + 1, several statements to run in one transaction
/// with that version's schema_version row. An entry may hold comments only (version 4: a
/// change SQLite needed and PostgreSQL does not): PQexec answers it PGRES_EMPTY_QUERY, which
/// the runner must take as done, not as a failure.
std::span<const std::string_view> PostgresMigrations();

}  // namespace swabline::store
