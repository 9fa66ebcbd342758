#!/usr/bin/env bash
# The PostgreSQL schema (src/store/pg/NNNN.sql) against the SQLite one (src/store/migrations.cpp),
# version by version, then its guards. Usage: schema_test.sh SWABLINE_BIN
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
# 3. guards_scenario.sql: statements run one by one on both, which must be accepted or refused
#    alike (a trigger's message, or the kind of constraint) and leave the same rows.
# 4. schema_checks.sql asserts, in PostgreSQL alone, each guard's SQLSTATE and message and
#    what the counting triggers do.
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
db_url=$url
psql_run() {
  PGOPTIONS='-c client_min_messages=warning' "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
    -d "$db_url" "$@"
}

failures=0
# compare WHAT SQLITE_FILE PG_FILE: prints a unified diff (SQLite lines -, PostgreSQL lines +).
compare() {
  if ! diff -u --label "SQLite: $1" --label "PostgreSQL: $1" "$2" "$3"; then
    echo "schema_test: $1 differs (above: - SQLite only, + PostgreSQL only)" >&2
    failures=$((failures + 1))
  fi
}

# compare_rows WHAT NAME: every row of every table but schema_version (whose applied_at is a
# time), in the stepwise SQLite database and in PostgreSQL.
compare_rows() {
  # SQLite's columns by name, not *: PostgreSQL's rowid stand-in (0011.sql) is not compared.
  sqlite3 "$work/stepwise.db" "SELECT 'SELECT ''' || m.name || ''', ' ||
      (SELECT group_concat('\"' || c.name || '\"', ', ') FROM pragma_table_info(m.name) c) ||
      ' FROM ' || m.name || ';'
    FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
    AND m.name <> 'schema_version'" >"$work/rows.sql"
  sqlite3 "$work/stepwise.db" <"$work/rows.sql" | LC_ALL=C sort >"$work/sqlite-$2.txt"
  psql_run -At -f "$work/rows.sql" | LC_ALL=C sort >"$work/pg-$2.txt"
  compare "$1" "$work/sqlite-$2.txt" "$work/pg-$2.txt"
}

# What one statement does to the stepwise SQLite database: ok, or why it was refused (a
# trigger's message, or the kind of constraint); any other error is printed whole.
outcome_sqlite() {
  local out
  if out=$(sqlite3 -bail "$work/stepwise.db" "PRAGMA foreign_keys = ON" "$1" 2>&1); then
    echo ok
    return
  fi
  case "$out" in
    *" (19)") ;;  # SQLITE_CONSTRAINT; a CHECK's text may span lines before it
    *) echo "error: $out" && return ;;
  esac
  out=$(printf '%s\n' "$out" | head -n 1 | sed -E 's/^Error: (stepping, )?//; s/ \(19\)$//')
  case "$out" in
    "CHECK constraint failed"*) echo "refused by a CHECK" ;;
    "UNIQUE constraint failed"*) echo "refused by a unique key" ;;
    "FOREIGN KEY constraint failed"*) echo "refused by a foreign key" ;;
    "NOT NULL constraint failed"*) echo "refused by NOT NULL" ;;
    *) echo "refused: $out" ;;
  esac
}

# The same for PostgreSQL, by SQLSTATE: 23000 is a trigger's refusal, with its message.
outcome_pg() {
  local out line
  if out=$(psql_run -v VERBOSITY=verbose -c "$1" 2>&1); then
    echo ok
    return
  fi
  line=$(grep -m 1 '^ERROR:' <<<"$out" || printf '%s' "$out")
  case "$line" in
    "ERROR:  23000: "*) echo "refused: ${line#ERROR:  23000: }" ;;
    "ERROR:  23514: "*) echo "refused by a CHECK" ;;
    "ERROR:  23505: "*) echo "refused by a unique key" ;;
    "ERROR:  23503: "*) echo "refused by a foreign key" ;;
    "ERROR:  23502: "*) echo "refused by NOT NULL" ;;
    *) echo "error: $line" ;;
  esac
}

# The SQL of each kMigrations entry, in order: a `Migration{R"sql(` … `)sql"}` block, or an
# entry with no SQL (`Migration{"", &Function}`, version 4, whose function only respells
# CHECKs and so changes nothing described here).
mkdir -p "$work/sqlite"
awk -v out="$work/sqlite" '
  /^ *Migration\{"", / { v++; printf "" > sprintf("%s/%04d.sql", out, v); next }
  /^ *Migration\{R"sql\($/ { v++; f = sprintf("%s/%04d.sql", out, v); printf "" > f; in_sql = 1; next }
  in_sql && /^\)sql"\},?$/ { in_sql = 0; next }
  in_sql { print > f }
  END { if (in_sql) exit 1 }
' "$root/src/store/migrations.cpp"
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
# apply_pg VERSION FILE: one migration, as the store's runner does it.
apply_pg() {
  psql_run -1 -c "$pg_versions" -f "$2" \
    -c "INSERT INTO schema_version(version, applied_at) VALUES ($1, extract(epoch FROM now())::bigint)"
}

for file in "${pg_files[@]}"; do
  name=$(basename "$file" .sql)
  version=$((10#$name))
  apply_pg "$version" "$file"
  sqlite3 -bail "$work/stepwise.db" "PRAGMA foreign_keys = ON" "BEGIN" ".read $work/sqlite/$name.sql" \
    "INSERT INTO schema_version(version, applied_at) VALUES ($version, unixepoch('now'))" "COMMIT"
  sqlite3 "$work/stepwise.db" <"$here/describe_sqlite.sql" | LC_ALL=C sort >"$work/sqlite-$name.txt"
  psql_run -At -f "$here/describe_pg.sql" | LC_ALL=C sort >"$work/pg-$name.txt"
  compare "schema at version $version" "$work/sqlite-$name.txt" "$work/pg-$name.txt"

  # The same rows in both at version 2; after each later version, every table's rows must
  # still be the same in both (what the backfills wrote included).
  if [ "$version" -eq 2 ]; then
    sqlite3 -bail "$work/stepwise.db" "PRAGMA foreign_keys = ON" ".read $here/fill_v2.sql"
    psql_run -1 -f "$here/fill_v2.sql" -f "$here/sync_identities.sql"
  fi
  compare_rows "rows at version $version" "rows-$name"
done

# The guards and the counting triggers, statement by statement, on the rows of fill_v2.sql:
# the same outcome in both, then the same rows.
: >"$work/sqlite-outcomes.txt"
: >"$work/pg-outcomes.txt"
statements=0
while IFS= read -r statement; do
  case "$statement" in "" | --*) continue ;; esac
  statements=$((statements + 1))
  printf '%s\n  => %s\n' "$statement" "$(outcome_sqlite "$statement")" >>"$work/sqlite-outcomes.txt"
  printf '%s\n  => %s\n' "$statement" "$(outcome_pg "$statement")" >>"$work/pg-outcomes.txt"
done <"$here/guards_scenario.sql"
compare "outcomes of guards_scenario.sql" "$work/sqlite-outcomes.txt" "$work/pg-outcomes.txt"
compare_rows "rows after guards_scenario.sql" "rows-scenario"
if grep -q '=> error' "$work/pg-outcomes.txt" "$work/sqlite-outcomes.txt"; then
  echo "schema_test: statements of guards_scenario.sql failed for no constraint:" >&2
  grep -h -B 1 '=> error' "$work/sqlite-outcomes.txt" "$work/pg-outcomes.txt" >&2
  failures=$((failures + 1))
fi

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

# schema_checks.sql starts from empty tables: a database of its own, migrated the same way.
psql_run -c 'CREATE DATABASE checks'
db_url=${url/\/swabline\?//checks?}
for file in "${pg_files[@]}"; do
  name=$(basename "$file" .sql)
  apply_pg "$((10#$name))" "$file"
done
if ! psql_run -1 -f "$here/schema_checks.sql"; then
  echo "schema_test: schema_checks.sql failed" >&2
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "schema_test: $failures failure(s)" >&2
  exit 1
fi
echo "schema_test: ${#pg_files[@]} versions match the SQLite schema; the $statements statements" \
  "of guards_scenario.sql do the same in both; schema_checks.sql holds"
