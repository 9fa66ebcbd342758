#include "store/migrations.hpp"

#include <array>
#include <string_view>

namespace swabline::store {
namespace {

// Each entry is one schema version. Never edit a released entry: append a new one.
// `region` on the big tables is the district id, the distribution key on a sharded
// PostgreSQL (DESIGN.md, Scale).
constexpr std::array<std::string_view, 3> kMigrations = {
    R"sql(
CREATE TABLE places (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('district','street','community','building','unit','room')),
  name      TEXT NOT NULL,
  parent_id INTEGER REFERENCES places(id),
  path      TEXT NOT NULL UNIQUE,
  id_path   TEXT NOT NULL,
  region    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX places_parent ON places(parent_id);
CREATE INDEX places_id_path ON places(id_path);

CREATE TABLE residents (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  doc_type   TEXT NOT NULL,
  doc_hash   BLOB NOT NULL UNIQUE,
  doc_cipher BLOB NOT NULL,
  doc_masked TEXT NOT NULL,
  phone      TEXT NOT NULL DEFAULT '',
  place_id   INTEGER NOT NULL REFERENCES places(id),
  tags       TEXT NOT NULL DEFAULT '',
  walk_in    INTEGER NOT NULL DEFAULT 0,
  code_version INTEGER NOT NULL DEFAULT 1,
  region     INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX residents_place ON residents(place_id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,
  scope_place_id INTEGER REFERENCES places(id),
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE idempotency (
  user_id      INTEGER NOT NULL,
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  body         BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL
);
)sql",
    R"sql(
CREATE TABLE rounds (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  pool_size  INTEGER NOT NULL CHECK (pool_size IN (1, 5, 10, 20)),
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  starts_at  INTEGER,
  ends_at    INTEGER,
  created_at INTEGER NOT NULL,
  closed_at  INTEGER
);
CREATE TABLE round_places (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  place_id INTEGER NOT NULL REFERENCES places(id),
  PRIMARY KEY (round_id, place_id)
);
CREATE TABLE sites (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  place_id   INTEGER NOT NULL REFERENCES places(id),
  region     INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE incidents (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('pool_positive', 'positive', 'antigen_report', 'manual')),
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  tube_barcode TEXT,
  round_id     INTEGER,
  opened_at    INTEGER NOT NULL,
  closed_at    INTEGER
);
CREATE TABLE incident_people (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  PRIMARY KEY (incident_id, resident_id)
);
CREATE TABLE boxes (
  barcode       TEXT PRIMARY KEY,
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_transit', 'received')),
  created_at    INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  dispatched_at INTEGER,
  received_at   INTEGER
);
-- A barcode is used once, ever: the primary key. Count never above capacity, capacity never
-- above 20 (labs may not re-pool): CHECKs. The use cases move count with guarded updates.
CREATE TABLE tubes (
  barcode       TEXT PRIMARY KEY,
  round_id      INTEGER NOT NULL REFERENCES rounds(id),
  site_id       INTEGER NOT NULL REFERENCES sites(id),
  capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 20),
  count         INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0 AND count <= capacity),
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'sealed', 'in_box', 'in_transit', 'received', 'resulted')),
  auto_sealed   INTEGER NOT NULL DEFAULT 0,
  result        TEXT CHECK (result IN ('negative', 'positive', 'invalid')),
  purpose       TEXT NOT NULL DEFAULT 'screening' CHECK (purpose IN ('screening', 'retest')),
  incident_id   INTEGER REFERENCES incidents(id),
  box_barcode   TEXT REFERENCES boxes(barcode),
  opened_by     TEXT NOT NULL,
  region        INTEGER NOT NULL DEFAULT 0,
  opened_at     INTEGER NOT NULL,
  first_sample_at INTEGER,
  sealed_at     INTEGER,
  boxed_at      INTEGER,
  dispatched_at INTEGER,
  received_at   INTEGER,
  resulted_at   INTEGER
);
CREATE INDEX tubes_round ON tubes(round_id, status);
CREATE INDEX tubes_box ON tubes(box_barcode);
CREATE TABLE samples (
  id            INTEGER PRIMARY KEY,
  tube_barcode  TEXT NOT NULL REFERENCES tubes(barcode),
  round_id      INTEGER NOT NULL REFERENCES rounds(id),
  resident_id   INTEGER NOT NULL REFERENCES residents(id),
  screening     INTEGER NOT NULL,  -- 1 for a screening tube, 0 for a retest
  repeat_reason TEXT,              -- set when a second sample in the round was allowed
  sampled_at    INTEGER NOT NULL,
  sampled_by    TEXT NOT NULL,
  voided_at     INTEGER,
  void_reason   TEXT,
  region        INTEGER NOT NULL DEFAULT 0
);
-- At most one valid screening sample per person and round, unless a repeat was allowed.
CREATE UNIQUE INDEX samples_once_per_round ON samples(round_id, resident_id)
  WHERE voided_at IS NULL AND repeat_reason IS NULL AND screening = 1;
-- Never the same person twice in one tube.
CREATE UNIQUE INDEX samples_once_per_tube ON samples(tube_barcode, resident_id)
  WHERE voided_at IS NULL;
CREATE INDEX samples_resident ON samples(resident_id, sampled_at);
CREATE INDEX samples_tube ON samples(tube_barcode);
-- Every result ever recorded, oldest first; a correction adds a row with its reason.
CREATE TABLE tube_results (
  id                INTEGER PRIMARY KEY,
  tube_barcode      TEXT NOT NULL REFERENCES tubes(barcode),
  result            TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
  ct_orf1ab         REAL,
  ct_n              REAL,
  correction_reason TEXT,
  recorded_at       INTEGER NOT NULL,
  recorded_by       TEXT NOT NULL
);
CREATE INDEX tube_results_tube ON tube_results(tube_barcode);
CREATE TRIGGER tube_results_append_only_u BEFORE UPDATE ON tube_results
BEGIN SELECT RAISE(ABORT, 'tube results are append-only'); END;
CREATE TRIGGER tube_results_append_only_d BEFORE DELETE ON tube_results
BEGIN SELECT RAISE(ABORT, 'tube results are append-only'); END;
-- A tube's result changes only when the change was first recorded as a correction.
CREATE TRIGGER tubes_result_needs_correction BEFORE UPDATE OF result ON tubes
WHEN OLD.result IS NOT NULL AND NEW.result IS NOT OLD.result AND NOT EXISTS (
  SELECT 1 FROM tube_results WHERE tube_barcode = NEW.barcode AND result = NEW.result
    AND correction_reason IS NOT NULL AND id = (SELECT MAX(id) FROM tube_results
                                                WHERE tube_barcode = NEW.barcode))
BEGIN SELECT RAISE(ABORT, 'a result changes only by a correction'); END;
CREATE TABLE discrepancies (
  id           INTEGER PRIMARY KEY,
  box_barcode  TEXT NOT NULL REFERENCES boxes(barcode),
  tube_barcode TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('missing', 'unexpected')),
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  resolution   TEXT
);
)sql",
    // The CHECKs of tubes and tube_results again, each `x IN ('a', 'b', 'c', …)` spelt
    // `x = 'a' OR x = 'b' OR …`, which means the same (NULL included). SQLite (3.40) evaluates
    // an IN list of three or more inside a CHECK by building a temporary b-tree for every row
    // it writes, as constraint code has no run-once block: that was a third of the time of
    // recording a lab result. Only the tables' definition text changes, by SQLite's procedure
    // for changing a CHECK (lang_altertable.html, "other kinds of table schema changes"); rows,
    // indexes and triggers are untouched. The schema cookie is left alone: a connection opened
    // before this ran keeps the old, equivalent text until it next loads the schema.
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (status IN (''open'', ''sealed'', ''in_box'', ''in_transit'', ''received'', ''resulted''))',
  'CHECK (status = ''open'' OR status = ''sealed'' OR status = ''in_box'' OR status = ''in_transit'' OR status = ''received'' OR status = ''resulted'')'),
  'CHECK (result IN (''negative'', ''positive'', ''invalid''))',
  'CHECK (result = ''negative'' OR result = ''positive'' OR result = ''invalid'')')
WHERE type = 'table' AND name IN ('tubes', 'tube_results');
PRAGMA writable_schema = RESET;
)sql",
};

int CurrentVersion(Connection& db) {
  auto q = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  q->Next();
  return static_cast<int>(q->Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

int Migrate(Connection& db) {
  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at "
      "INTEGER NOT NULL)");
  int version = CurrentVersion(db);
  for (int v = version; v < LatestSchemaVersion(); ++v) {
    db.Exec("BEGIN IMMEDIATE");
    // Another process may have migrated while we waited for the lock: read again inside it.
    if (CurrentVersion(db) > v) {
      db.Exec("COMMIT");
      version = CurrentVersion(db);
      continue;
    }
    try {
      db.Exec(kMigrations[static_cast<std::size_t>(v)]);
      auto q = db.Query(
          "INSERT INTO schema_version(version, applied_at) VALUES (?, unixepoch('now'))");
      q->Bind(1, v + 1).Run();
      db.Exec("COMMIT");
    } catch (...) {
      db.Exec("ROLLBACK");
      throw;
    }
    version = v + 1;
  }
  return version;
}

}  // namespace swabline::store
