#include "store/migrations.hpp"

#include <array>
#include <string_view>

namespace swabline::store {
namespace {

// Each entry is one schema version. Never edit a released entry: append a new one.
// `region` on the big tables is the district id, the distribution key on a sharded
// PostgreSQL (DESIGN.md, Scale).
constexpr std::array<std::string_view, 1> kMigrations = {
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
