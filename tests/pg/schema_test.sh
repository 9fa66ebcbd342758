#!/usr/bin/env bash
# The PostgreSQL schema (src/store/pg/NNNN.sql) against the SQLite one (src/store/migrations.cpp),
# version by version, then its guards (schema_checks.sql). Usage: schema_test.sh SWABLINE_BIN
#
# 1. A throwaway cluster (scripts/pg-scratch) gets 0001…0011, each in one transaction with its
#    schema_version row, as the PostgreSQL store's migration runner applies them.
# 2. After each version, its schema is described (describe_pg.sql: columns in order with type,
#    NOT NULL, primary key position, default and identity; indexes with columns, uniqueness
#    and partial predicate; UNIQUE constraints; foreign keys; triggers with their event) and
#    compared with the SQLite schema at the same version, described alike
#    (describe_sqlite.sql). The SQLite schemas per version come from the SQL of kMigrations,
#    cut out of migrations.cpp and applied with sqlite3; the newest is also compared with a
#    database that `swabline migrate` created, which proves the cut-out SQL is the real one.
#    Rows written at version 2 (fill_v2.sql) must come out of every later version the same in
#    both, so the backfills (3: tallies, 7: site lanes) are checked too.
# 3. schema_checks.sql asserts what each guard refuses (SQLSTATE and message) and what the
#    counting triggers do.
# Exits 77 (ctest: skipped) when PostgreSQL 15 or sqlite3 is missing.
set -euo pipefail

swabline=${1:?usage: schema_test.sh SWABLINE_BIN}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$pg_bin/initdb" ] || ! command -v sqlite3 >/dev/null; then
  echo "schema_test: PostgreSQL 15 ($pg_bin) or sqlite3 missing: skipped" >&2
  exit 77
fi

# The cluster's folder straight under /tmp: as root, pg-scratch hands it to `postgres`, which
# must reach it (a folder inside a root-only mktemp folder would not do).
cluster=$(mktemp -d /tmp/swabline-pg-schema.XXXXXX)
work=$(mktemp -d)
cleanup() {
  "$root/scripts/pg-scratch" stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT
url=$("$root/scripts/pg-scratch" start "$cluster")
psql_run() {
  PGOPTIONS='-c client_min_messages=warning' "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

failures=0
# compare WHAT EXPECTED ACTUAL: prints a unified diff (SQLite lines -, PostgreSQL lines +).
compare() {
  if ! diff -u --label "SQLite $1" --label "PostgreSQL $1" "$2" "$3"; then
    echo "schema_test: $1 differs (above: - SQLite only, + PostgreSQL only)" >&2
    failures=$((failures + 1))
  fi
}

# The SQL of each kMigrations entry, in order: a `Migration{R"sql(` … `)sql"}` block, or an
# entry with no SQL (`Migration{"", &Function}`, version 4, whose function only respells
# CHECKs and so changes nothing described here).
migrations_cpp="$root/src/store/migrations.cpp"
mkdir -p "$work/sqlite"
awk -v out="$work/sqlite" '
  /^ *Migration\{"", / { v++; printf "" > sprintf("%s/%04d.sql", out, v); next }
  /^ *Migration\{R"sql\($/ { v++; f = sprintf("%s/%04d.sql", out, v); printf "" > f; in_sql = 1; next }
  in_sql && /^\)sql"\},?$/ { in_sql = 0; next }
  in_sql { print > f }
  END { if (in_sql) exit 1 }
' "$migrations_cpp"
pg_files=("$root"/src/store/pg/[0-9][0-9][0-9][0-9].sql)
sqlite_count=$(find "$work/sqlite" -name '*.sql' | wc -l)
if [ "$sqlite_count" -ne "${#pg_files[@]}" ]; then
  echo "schema_test: $sqlite_count migrations in migrations.cpp, ${#pg_files[@]} in src/store/pg" >&2
  exit 1
fi

# The table MigrateTo creates, in both spellings.
sqlite_versions='CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)'
pg_versions='CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)'
sqlite3 -bail "$work/stepwise.db" "$sqlite_versions"

for file in "${pg_files[@]}"; do
  name=$(basename "$file" .sql)
  version=$((10#$name))
  psql_run -1 -c "$pg_versions" -f "$file" \
    -c "INSERT INTO schema_version(version, applied_at) VALUES ($version, extract(epoch FROM now())::bigint)"
  sqlite3 -bail "$work/stepwise.db" "PRAGMA foreign_keys = ON" "BEGIN" ".read $work/sqlite/$name.sql" \
    "INSERT INTO schema_version(version, applied_at) VALUES ($version, unixepoch('now'))" "COMMIT"
  sqlite3 "$work/stepwise.db" <"$here/describe_sqlite.sql" | LC_ALL=C sort >"$work/sqlite-$name.txt"
  psql_run -At -f "$here/describe_pg.sql" | LC_ALL=C sort >"$work/pg-$name.txt"
  compare "schema at version $version" "$work/sqlite-$name.txt" "$work/pg-$name.txt"

  # The same rows in both at version 2; after each later version, every table's rows must
  # still be the same in both (what the backfills wrote included).
  if [ "$version" -eq 2 ]; then
    sqlite3 -bail "$work/stepwise.db" "PRAGMA foreign_keys = ON" ".read $here/fill_v2.sql"
    psql_run -1 -f "$here/fill_v2.sql"
  fi
  sqlite3 "$work/stepwise.db" "SELECT 'SELECT ''' || name || ''', * FROM ' || name || ';'
    FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
    AND name <> 'schema_version'" >"$work/rows.sql"
  sqlite3 "$work/stepwise.db" <"$work/rows.sql" | LC_ALL=C sort >"$work/sqlite-rows-$name.txt"
  psql_run -At -f "$work/rows.sql" | LC_ALL=C sort >"$work/pg-rows-$name.txt"
  compare "rows at version $version" "$work/sqlite-rows-$name.txt" "$work/pg-rows-$name.txt"
done

# The newest schema as the binary makes it, against the stepwise SQLite one and PostgreSQL.
"$swabline" migrate --db "$work/swabline.db" >/dev/null
sqlite3 "$work/swabline.db" <"$here/describe_sqlite.sql" | LC_ALL=C sort >"$work/binary.txt"
compare "schema of swabline migrate vs the SQL cut out of migrations.cpp" \
  "$work/binary.txt" "$work/sqlite-$name.txt"
compare "schema of swabline migrate" "$work/binary.txt" "$work/pg-$name.txt"
want_version=$(sqlite3 "$work/swabline.db" "SELECT max(version) FROM schema_version")
have_version=$(psql_run -At -c "SELECT max(version) FROM schema_version")
if [ "$want_version" != "$have_version" ]; then
  echo "schema_test: swabline migrate reached version $want_version, PostgreSQL $have_version" >&2
  failures=$((failures + 1))
fi

if ! psql_run -1 -f "$here/schema_checks.sql"; then
  echo "schema_test: schema_checks.sql failed" >&2
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "schema_test: $failures failure(s)" >&2
  exit 1
fi
echo "schema_test: ${#pg_files[@]} versions match the SQLite schema; the guards hold"
