#pragma once
/// The store's SQL is written for SQLite. PostgreSQL runs most of it as it is; what differs in
/// spelling, not meaning, is rewritten here as a statement is prepared, so that one text serves
/// both engines. What differs in meaning is written per dialect where it is used.

#include <string>
#include <string_view>

namespace swabline::store {

/// Rewrites one or more SQLite statements for PostgreSQL 15:
/// - parameters: `?` → `$1`, `$2`, … in order; `?N` → `$N`;
/// - `INSERT OR IGNORE INTO …` → `INSERT INTO … ON CONFLICT DO NOTHING` (before any RETURNING);
/// - `BEGIN IMMEDIATE|DEFERRED|EXCLUSIVE` → `BEGIN`;
/// - `x IS 'v'`, `x IS ?` (SQLite's NULL-safe equality) → `x IS NOT DISTINCT FROM …`, and
///   `IS NOT` → `IS DISTINCT FROM`;
/// - scalar `MAX(a, b)`, `MIN(a, b)` → `GREATEST`, `LEAST` (aggregate MAX(x) stays);
/// - SQLite's planner hints go: `INDEXED BY name`, `NOT INDEXED`, and `CROSS JOIN … ON` is an
///   inner `JOIN … ON` (the store writes CROSS JOIN only as the join-order hint);
/// - `IFNULL(` → `COALESCE(`; `group_concat(x, sep)` → `string_agg(x, sep)` (the store always
///   gives the separator, which string_agg requires); `CAST(… AS INTEGER)` → `… AS BIGINT`
///   (PostgreSQL's integer is 32-bit, SQLite's 64-bit).
/// String literals, quoted identifiers and comments are copied untouched.
std::string RewriteForPostgres(std::string_view sql);

}  // namespace swabline::store
