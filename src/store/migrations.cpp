#include "store/migrations.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/pg_migrations.hpp"

namespace swabline::store {
namespace {

/// One schema version: its SQL, then, for a change SQL alone cannot check, a function.
struct Migration {
  std::string_view sql;
  void (*run)(Connection&) = nullptr;
};

void SpellChecksWithoutInLists(Connection& db);

// Each entry is one schema version. Never edit a released entry: append a new one.
// `region` on the big tables is the district id, the distribution key on a sharded
// PostgreSQL.
constexpr std::array<Migration, 11> kMigrations = {
    Migration{R"sql(
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
)sql"},
    Migration{R"sql(
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
)sql"},
    // Coverage counts kept per "tally place": a resident's nearest place at or above their home
    // whose kind is district, street, community or building (a building holds a few hundred
    // people), so that coverage sums a few thousand rows instead of visiting every resident
    // (service/coverage.cpp). Per tally place and round they count valid samples, not people:
    // a scan adds without asking whether the person was sampled before, and a tube's result
    // moves the counts once per tally place in the tube, without reading its samples. The few
    // residents with two or more valid samples in a round (a repeat, a retest:
    // round_repeaters) are taken back to one when read. A sample's round is its tube's.
    //
    // The counts change in the transaction of every change they follow. Moves, voids, results
    // and corrections: by the triggers below, whichever code path makes them. New places,
    // residents and samples: by the store functions that alone insert them (InsertPlace,
    // InsertResident, InsertSample), with single-row statements. A trigger on those INSERTs
    // would make SQLite keep a statement journal for each, and inside the writer's per-job
    // savepoint that journal grows by every page each row touches: measured, a 100,000-row
    // import went from 1 s to 2-3 s (1.2 million temp-file writes), and a scan paid 38,000
    // instructions more instead of 28,000.
    Migration{R"sql(
ALTER TABLE places ADD COLUMN tally_id INTEGER;
WITH RECURSIVE tallied(id, tally_id) AS (
  SELECT id, CASE WHEN kind NOT IN ('unit', 'room') THEN id END
    FROM places WHERE parent_id IS NULL
  UNION ALL
  SELECT p.id, CASE WHEN p.kind NOT IN ('unit', 'room') THEN p.id
                    ELSE t.tally_id END
    FROM places p JOIN tallied t ON p.parent_id = t.id
)
UPDATE places SET tally_id = tallied.tally_id FROM tallied WHERE places.id = tallied.id;
-- The tally places by id_path; tally_id in it too, so that coverage reads no table rows.
CREATE INDEX places_tallies ON places(id_path, tally_id) WHERE tally_id = id;
CREATE TRIGGER places_keep_kind_and_parent BEFORE UPDATE OF kind, parent_id ON places
WHEN NEW.kind IS NOT OLD.kind OR NEW.parent_id IS NOT OLD.parent_id
BEGIN SELECT RAISE(ABORT, 'a place keeps its kind and parent (coverage tallies depend on them)'); END;

-- Residents living now under each tally place: `expected` of coverage.
CREATE TABLE tally_residents (
  tally_id  INTEGER PRIMARY KEY,
  residents INTEGER NOT NULL
);
INSERT INTO tally_residents(tally_id, residents)
  SELECT p.tally_id, COUNT(*) FROM residents r JOIN places p ON p.id = r.place_id
  WHERE p.tally_id IS NOT NULL GROUP BY p.tally_id;

CREATE TABLE round_tallies (
  round_id INTEGER NOT NULL,
  tally_id INTEGER NOT NULL,
  sampled  INTEGER NOT NULL,  -- valid samples in the round
  resulted INTEGER NOT NULL,  -- of those, in a tube with a result
  positive INTEGER NOT NULL,  -- of those, in a positive tube
  PRIMARY KEY (round_id, tally_id)
) WITHOUT ROWID;
INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive)
  SELECT s.round_id, p.tally_id, COUNT(*), SUM(t.result IS NOT NULL),
         SUM(t.result IS 'positive')
  FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode
  JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE s.voided_at IS NULL AND p.tally_id IS NOT NULL GROUP BY s.round_id, p.tally_id;

-- How many valid samples of each tube belong to each tally place: what a result moves.
CREATE TABLE tube_tallies (
  tube_barcode TEXT NOT NULL,
  tally_id     INTEGER NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (tube_barcode, tally_id)
) WITHOUT ROWID;
INSERT INTO tube_tallies(tube_barcode, tally_id, n)
  SELECT s.tube_barcode, p.tally_id, COUNT(*)
  FROM samples s JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE s.voided_at IS NULL AND p.tally_id IS NOT NULL GROUP BY s.tube_barcode, p.tally_id;

-- Who gave a repeat or a retest sample in a round, by their tally place: everyone with two or
-- more valid samples in a round is here (samples_once_per_round allows one plain screening
-- sample), so coverage finds them under a place without visiting its residents. A row stays
-- when the sample is voided: it then only costs a look.
CREATE TABLE round_repeaters (
  round_id    INTEGER NOT NULL,
  tally_id    INTEGER NOT NULL,
  resident_id INTEGER NOT NULL,
  PRIMARY KEY (round_id, tally_id, resident_id)
) WITHOUT ROWID;
CREATE INDEX round_repeaters_resident ON round_repeaters(resident_id);
INSERT INTO round_repeaters(round_id, tally_id, resident_id)
  SELECT DISTINCT s.round_id, p.tally_id, s.resident_id
  FROM samples s JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE (s.repeat_reason IS NOT NULL OR s.screening = 0) AND p.tally_id IS NOT NULL;

CREATE TRIGGER residents_tally_delete AFTER DELETE ON residents
BEGIN
  UPDATE tally_residents SET residents = residents - 1
  WHERE tally_id = (SELECT tally_id FROM places WHERE id = OLD.place_id);
END;
-- A move takes the resident and their valid samples' counts to the new tally place.
CREATE TRIGGER residents_tally_move AFTER UPDATE OF place_id ON residents
WHEN NEW.place_id IS NOT OLD.place_id AND (SELECT tally_id FROM places WHERE id = OLD.place_id)
     IS NOT (SELECT tally_id FROM places WHERE id = NEW.place_id)
BEGIN
  UPDATE tally_residents SET residents = residents - 1
  WHERE tally_id = (SELECT tally_id FROM places WHERE id = OLD.place_id);
  INSERT INTO tally_residents(tally_id, residents)
    SELECT tally_id, 1 FROM places WHERE id = NEW.place_id AND tally_id IS NOT NULL
    ON CONFLICT(tally_id) DO UPDATE SET residents = residents + 1;
  UPDATE round_tallies
  SET sampled = sampled - m.moved_sampled, resulted = resulted - m.moved_resulted,
      positive = positive - m.moved_positive
  FROM (SELECT s.round_id, COUNT(*) AS moved_sampled, SUM(t.result IS NOT NULL) AS moved_resulted,
               SUM(t.result IS 'positive') AS moved_positive
        FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode
        WHERE s.resident_id = NEW.id AND s.voided_at IS NULL GROUP BY s.round_id) AS m
  WHERE round_tallies.round_id = m.round_id
    AND round_tallies.tally_id = (SELECT tally_id FROM places WHERE id = OLD.place_id);
  INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive)
    SELECT s.round_id, p.tally_id, COUNT(*), SUM(t.result IS NOT NULL),
           SUM(t.result IS 'positive')
    FROM places p JOIN samples s ON s.resident_id = NEW.id AND s.voided_at IS NULL
    JOIN tubes t ON t.barcode = s.tube_barcode
    WHERE p.id = NEW.place_id AND p.tally_id IS NOT NULL GROUP BY s.round_id
    ON CONFLICT(round_id, tally_id) DO UPDATE SET sampled = sampled + excluded.sampled,
      resulted = resulted + excluded.resulted, positive = positive + excluded.positive;
  UPDATE tube_tallies SET n = n - m.moved
  FROM (SELECT tube_barcode, COUNT(*) AS moved FROM samples
        WHERE resident_id = NEW.id AND voided_at IS NULL GROUP BY tube_barcode) AS m
  WHERE tube_tallies.tube_barcode = m.tube_barcode
    AND tube_tallies.tally_id = (SELECT tally_id FROM places WHERE id = OLD.place_id);
  INSERT INTO tube_tallies(tube_barcode, tally_id, n)
    SELECT s.tube_barcode, p.tally_id, COUNT(*)
    FROM places p JOIN samples s ON s.resident_id = NEW.id AND s.voided_at IS NULL
    WHERE p.id = NEW.place_id AND p.tally_id IS NOT NULL GROUP BY s.tube_barcode
    ON CONFLICT(tube_barcode, tally_id) DO UPDATE SET n = n + excluded.n;
  UPDATE round_repeaters SET tally_id = (SELECT tally_id FROM places WHERE id = NEW.place_id)
  WHERE resident_id = NEW.id
    AND (SELECT tally_id FROM places WHERE id = NEW.place_id) IS NOT NULL;
END;

CREATE TRIGGER samples_tally_void AFTER UPDATE OF voided_at ON samples
WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
BEGIN
  UPDATE tube_tallies SET n = n - 1
  WHERE tube_barcode = OLD.tube_barcode AND tally_id = (
    SELECT p.tally_id FROM residents r JOIN places p ON p.id = r.place_id
    WHERE r.id = OLD.resident_id);
  UPDATE round_tallies SET
    sampled = sampled - 1,
    resulted = resulted - (SELECT result IS NOT NULL FROM tubes WHERE barcode = OLD.tube_barcode),
    positive = positive - (SELECT result IS 'positive' FROM tubes WHERE barcode = OLD.tube_barcode)
  WHERE round_id = OLD.round_id AND tally_id = (
    SELECT p.tally_id FROM residents r JOIN places p ON p.id = r.place_id
    WHERE r.id = OLD.resident_id);
END;
-- What the counts cannot follow is refused: a sample is voided, never changed back or deleted.
CREATE TRIGGER samples_void_is_final BEFORE UPDATE OF voided_at ON samples
WHEN OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL
BEGIN SELECT RAISE(ABORT, 'a voided sample stays voided'); END;
CREATE TRIGGER samples_keep_identity BEFORE UPDATE OF tube_barcode, round_id, resident_id ON samples
WHEN NEW.tube_barcode IS NOT OLD.tube_barcode OR NEW.round_id IS NOT OLD.round_id
     OR NEW.resident_id IS NOT OLD.resident_id
BEGIN SELECT RAISE(ABORT, 'a sample keeps its tube, round and person: void it instead'); END;
CREATE TRIGGER samples_never_deleted BEFORE DELETE ON samples
BEGIN SELECT RAISE(ABORT, 'samples are voided, never deleted'); END;
CREATE TRIGGER tubes_keep_round BEFORE UPDATE OF round_id ON tubes
WHEN NEW.round_id IS NOT OLD.round_id
BEGIN SELECT RAISE(ABORT, 'a tube keeps its round'); END;

-- A result moves each tally place's counts by its number of samples in the tube: one small
-- update per tally place in the tube, without reading the tube's samples.
CREATE TRIGGER tubes_result_tally AFTER UPDATE OF result ON tubes
WHEN NEW.result IS NOT OLD.result
BEGIN
  -- An upsert rather than UPDATE … FROM: its plan walks the tube's few tube_tallies rows,
  -- where the join walked every tally place of the round.
  INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive)
    SELECT NEW.round_id, tally_id, 0, n * ((NEW.result IS NOT NULL) - (OLD.result IS NOT NULL)),
           n * ((NEW.result IS 'positive') - (OLD.result IS 'positive'))
    FROM tube_tallies WHERE tube_barcode = NEW.barcode
    ON CONFLICT(round_id, tally_id) DO UPDATE SET resulted = resulted + excluded.resulted,
      positive = positive + excluded.positive;
END;
)sql"},
    // The CHECKs of tubes, tube_results and places again, each `x IN ('a', 'b', 'c', …)` spelt
    // `x = 'a' OR x = 'b' OR …`, which means the same (NULL included). SQLite (3.40) evaluates
    // an IN list of three or more inside a CHECK by building a temporary b-tree for every row
    // it writes, as constraint code has no run-once block: that was a third of the time of
    // recording a lab result. Only the tables' definition text changes, by SQLite's procedure
    // for changing a CHECK (lang_altertable.html, "other kinds of table schema changes"); rows,
    // indexes and triggers are untouched. The schema cookie is left alone: a connection opened
    // before this ran keeps the old, equivalent text until it next loads the schema.
    Migration{"", &SpellChecksWithoutInLists},
    // Outbreak response (docs/outbreak.md): what an incident involves, its timeline, its
    // antigen checklist, the retest tasks, the zones in force, and the outbox of messages to
    // deliver, each written in the transaction of the change it follows.
    Migration{R"sql(
ALTER TABLE incidents ADD COLUMN parent_id INTEGER;  -- the incident it escalated from
ALTER TABLE incidents ADD COLUMN note TEXT;
ALTER TABLE incidents ADD COLUMN closed_reason TEXT;
CREATE INDEX incidents_status ON incidents(status, id);
CREATE INDEX incident_people_resident ON incident_people(resident_id);
CREATE TABLE incident_places (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  place_id    INTEGER NOT NULL REFERENCES places(id),
  PRIMARY KEY (incident_id, place_id)
);
CREATE INDEX incident_places_place ON incident_places(place_id);
CREATE TABLE incident_events (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at          INTEGER NOT NULL,
  event       TEXT NOT NULL,
  detail      TEXT NOT NULL,
  actor       TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events(incident_id, id);
CREATE TABLE incident_checklist (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  item        TEXT NOT NULL CHECK (item = 'nasal_swab' OR item = 'throat_swab' OR item = 'blood'
                                   OR item = 'environment' OR item = 'antigen'),
  done_at     INTEGER,
  result      TEXT CHECK (result = 'negative' OR result = 'positive'),
  PRIMARY KEY (incident_id, item)
);
CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  kind         TEXT NOT NULL CHECK (kind = 'retest'),
  resident_id  INTEGER NOT NULL REFERENCES residents(id),
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'done'),
  door_to_door INTEGER NOT NULL DEFAULT 0,
  assignee     TEXT,
  due_at       INTEGER NOT NULL,
  result       TEXT CHECK (result = 'negative' OR result = 'positive'),
  created_at   INTEGER NOT NULL,
  done_at      INTEGER
);
CREATE UNIQUE INDEX tasks_once_per_person ON tasks(incident_id, resident_id);
CREATE INDEX tasks_status ON tasks(status, due_at);
CREATE TABLE zones (
  id          INTEGER PRIMARY KEY,
  place_id    INTEGER NOT NULL REFERENCES places(id),
  level       TEXT NOT NULL CHECK (level = 'temporary' OR level = 'sealed' OR level = 'controlled'
                                   OR level = 'prevention'),
  incident_id INTEGER REFERENCES incidents(id),
  reason      TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  lifted_at   INTEGER,
  lifted_reason TEXT
);
-- A status read probes the active zones on each place along the person's home.
CREATE INDEX zones_active_place ON zones(place_id) WHERE lifted_at IS NULL;
CREATE INDEX zones_place ON zones(place_id, lifted_at);
CREATE INDEX zones_incident ON zones(incident_id);
-- Messages a person must act on, delivered later by a worker.
CREATE TABLE outbox (
  id             INTEGER PRIMARY KEY,
  event          TEXT NOT NULL,
  recipient_kind TEXT NOT NULL CHECK (recipient_kind = 'resident' OR recipient_kind = 'user'
                                      OR recipient_kind = 'team' OR recipient_kind = 'place'),
  recipient      TEXT NOT NULL,
  payload        TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
)sql"},
    Migration{R"sql(
-- Settings an admin changes through the API, each one JSON document under its key (the zone
-- policy, the pooling advisor's assay); a missing key means the built-in default.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT
);
-- One row per outbox message and delivery adapter (log, webhook): the worker claims the due
-- ones, and a row with delivered_at set is never sent again by that adapter. Keyed adapter
-- first, so the highest message an adapter has taken on is one index seek.
CREATE TABLE outbox_deliveries (
  outbox_id       INTEGER NOT NULL REFERENCES outbox(id),
  adapter         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at    INTEGER,
  last_error      TEXT,
  PRIMARY KEY (adapter, outbox_id)
) WITHOUT ROWID;
CREATE INDEX outbox_deliveries_due ON outbox_deliveries(adapter, next_attempt_at)
  WHERE delivered_at IS NULL;
-- A zone a lifting rule stepped down from a stricter one (sealed, then controlled for three
-- days) ends by that level's rule, so it remembers the level it came from.
ALTER TABLE zones ADD COLUMN stepped_down_from TEXT
  CHECK (stepped_down_from IS NULL OR stepped_down_from = 'temporary'
         OR stepped_down_from = 'sealed' OR stepped_down_from = 'controlled'
         OR stepped_down_from = 'prevention');
-- Active zones by place and level (and incident): "has this incident a temporary zone on the
-- unit already" and "is the home sealed" are one probe each, where the index on place_id alone
-- read every active zone on the place, and a unit collects a temporary zone per incident in a
-- long outbreak. It leads with place_id, so it serves the status read's probes too (covering
-- them, level being in it), and replaces zones_active_place.
DROP INDEX zones_active_place;
CREATE INDEX zones_active ON zones(place_id, level, incident_id) WHERE lifted_at IS NULL;
)sql"},
    Migration{R"sql(
-- Sites and queues: a site's opening hours (minutes of the local day, `to_minute` exclusive;
-- none: always open), its lanes with the people waiting in each, and its collectors on shift.
CREATE TABLE site_hours (
  site_id     INTEGER NOT NULL REFERENCES sites(id),
  from_minute INTEGER NOT NULL CHECK (from_minute >= 0 AND from_minute < 1440),
  to_minute   INTEGER NOT NULL CHECK (to_minute > from_minute AND to_minute <= 1440),
  PRIMARY KEY (site_id, from_minute)
) WITHOUT ROWID;
CREATE TABLE site_lanes (
  site_id    INTEGER NOT NULL REFERENCES sites(id),
  lane       TEXT NOT NULL CHECK (lane = 'general' OR lane = 'green'),
  waiting    INTEGER NOT NULL DEFAULT 0 CHECK (waiting >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, lane)
) WITHOUT ROWID;
INSERT INTO site_lanes(site_id, lane, waiting, updated_at)
  SELECT id, 'general', 0, created_at FROM sites;
ALTER TABLE sites ADD COLUMN collectors INTEGER NOT NULL DEFAULT 0 CHECK (collectors >= 0);
-- A site's recent scans: its tubes still open or sealed lately, then their samples.
CREATE INDEX tubes_site ON tubes(site_id, sealed_at);
)sql"},
    Migration{R"sql(
-- Tube batches: the barcodes issued to a site; `serve --strict-tubes` opens only these. A
-- barcode is issued once, ever (its primary key).
CREATE TABLE tube_batches (
  id         INTEGER PRIMARY KEY,
  site_id    INTEGER NOT NULL REFERENCES sites(id),
  count      INTEGER NOT NULL,
  pool_size  INTEGER,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX tube_batches_site ON tube_batches(site_id);
CREATE TABLE tube_batch_barcodes (
  barcode  TEXT PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES tube_batches(id)
) WITHOUT ROWID;
-- A site's supplies: what was delivered and the low-stock thresholds (0: no alert); what was
-- used is derived from its tubes. `alerted` lists the supplies whose low_stock message went
-- out and that have not risen above their threshold since ("tubes,swabs").
CREATE TABLE site_stock (
  site_id         INTEGER PRIMARY KEY REFERENCES sites(id),
  swabs_delivered INTEGER NOT NULL DEFAULT 0,
  kits_delivered  INTEGER NOT NULL DEFAULT 0,
  samples_per_kit INTEGER NOT NULL DEFAULT 1,
  low_tubes       INTEGER NOT NULL DEFAULT 0,
  low_swabs       INTEGER NOT NULL DEFAULT 0,
  low_kits        INTEGER NOT NULL DEFAULT 0,
  alerted         TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT
);
-- A site's tubes, for its stock (tubes opened, samples in them), are found by v7's
-- tubes_site(site_id, sealed_at).
-- Checkpoints at compound gates and the log of their scans, kept for the retention period.
CREATE TABLE checkpoints (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  place_id   INTEGER NOT NULL REFERENCES places(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX checkpoints_place ON checkpoints(place_id);
CREATE TABLE gate_scans (
  id            INTEGER PRIMARY KEY,
  checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id),
  resident_id   INTEGER NOT NULL REFERENCES residents(id),
  direction     TEXT NOT NULL CHECK (direction = 'in' OR direction = 'out'),
  allowed       INTEGER NOT NULL,
  color         TEXT NOT NULL,
  at            INTEGER NOT NULL,
  scanned_by    TEXT NOT NULL,
  region        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX gate_scans_checkpoint ON gate_scans(checkpoint_id, at);
CREATE INDEX gate_scans_at ON gate_scans(at);
)sql"},
    // Community operations (docs/api.md): residents' requests with their timeline and
    // comments; staff and volunteers (not all of them users), their work groups and shifts;
    // the notices of a round's schedule.
    Migration{R"sql(
CREATE TABLE requests (
  id          INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  category    TEXT NOT NULL CHECK (category = 'medicine' OR category = 'food'
                                   OR category = 'medical' OR category = 'code_popup'
                                   OR category = 'other'),
  detail      TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'assigned'
                                                  OR status = 'closed'),
  source      TEXT NOT NULL CHECK (source = 'resident' OR source = 'staff'),
  created_by  TEXT NOT NULL,  -- the username, or "resident" for one sent with a personal code
  assignee    TEXT,
  resolution  TEXT,
  created_at  INTEGER NOT NULL,
  due_at      INTEGER NOT NULL,
  closed_at   INTEGER,
  region      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX requests_status_due ON requests(status, due_at);
CREATE INDEX requests_resident ON requests(resident_id);
-- Each request's timeline: created, assigned, comment, closed.
CREATE TABLE request_events (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  detail     TEXT NOT NULL,
  actor      TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, id);
CREATE TABLE staff (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  phone        TEXT NOT NULL DEFAULT '',
  kind         TEXT NOT NULL CHECK (kind = 'cadre' OR kind = 'volunteer'
                                    OR kind = 'community_worker' OR kind = 'support'),
  organisation TEXT NOT NULL DEFAULT '',
  username     TEXT,  -- the user they sign in as, if any
  place_id     INTEGER NOT NULL REFERENCES places(id),  -- the community they serve
  created_at   INTEGER NOT NULL
);
CREATE INDEX staff_place ON staff(place_id);
CREATE TABLE work_groups (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  place_id   INTEGER NOT NULL REFERENCES places(id),
  created_at INTEGER NOT NULL
);
CREATE TABLE work_group_members (
  work_group_id INTEGER NOT NULL REFERENCES work_groups(id),
  staff_id      INTEGER NOT NULL REFERENCES staff(id),
  PRIMARY KEY (work_group_id, staff_id)
) WITHOUT ROWID;
CREATE TABLE shifts (
  id         INTEGER PRIMARY KEY,
  staff_id   INTEGER NOT NULL REFERENCES staff(id),
  place_id   INTEGER NOT NULL REFERENCES places(id),
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL CHECK (ends_at > starts_at),
  duty       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX shifts_ends ON shifts(ends_at, starts_at);
CREATE TABLE round_notices (
  id         INTEGER PRIMARY KEY,
  round_id   INTEGER NOT NULL REFERENCES rounds(id),
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
)sql"},
    // Result provenance and the audit chain's daily anchors (docs/security.md, Malicious lab
    // staff): every results upload is a row, and each result names the upload it came in,
    // beside who recorded it and when. Uploads are append-only like the results; a tube
    // that has a result is never deleted and keeps the time of its first result; a
    // correction's reason must hold more than blanks. audit_anchors holds the chain's head at
    // the end of each UTC day, written by the first audit record of the next day.
    Migration{R"sql(
CREATE TABLE result_uploads (
  id          INTEGER PRIMARY KEY,
  uploaded_at INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  row_count   INTEGER NOT NULL,
  recorded    INTEGER NOT NULL,
  corrected   INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  rejected    INTEGER NOT NULL
);
CREATE TRIGGER result_uploads_append_only_u BEFORE UPDATE ON result_uploads
BEGIN SELECT RAISE(ABORT, 'result uploads are append-only'); END;
CREATE TRIGGER result_uploads_append_only_d BEFORE DELETE ON result_uploads
BEGIN SELECT RAISE(ABORT, 'result uploads are append-only'); END;
ALTER TABLE tube_results ADD COLUMN upload_id INTEGER REFERENCES result_uploads(id);
CREATE INDEX tube_results_upload ON tube_results(upload_id) WHERE upload_id IS NOT NULL;
CREATE TRIGGER tubes_with_result_never_deleted BEFORE DELETE ON tubes
WHEN OLD.result IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a tube with a result is never deleted'); END;
CREATE TRIGGER tubes_keep_first_result_time BEFORE UPDATE OF resulted_at ON tubes
WHEN OLD.resulted_at IS NOT NULL AND NEW.resulted_at IS NOT OLD.resulted_at
BEGIN SELECT RAISE(ABORT, 'a tube keeps the time of its first result'); END;
DROP TRIGGER tubes_result_needs_correction;
CREATE TRIGGER tubes_result_needs_correction BEFORE UPDATE OF result ON tubes
WHEN OLD.result IS NOT NULL AND NEW.result IS NOT OLD.result AND NOT EXISTS (
  SELECT 1 FROM tube_results WHERE tube_barcode = NEW.barcode AND result = NEW.result
    AND trim(correction_reason) <> '' AND id = (SELECT MAX(id) FROM tube_results
                                                WHERE tube_barcode = NEW.barcode))
BEGIN SELECT RAISE(ABORT, 'a result changes only by a correction'); END;
CREATE TABLE audit_anchors (
  day        TEXT PRIMARY KEY,  -- YYYY-MM-DD, UTC
  seq        INTEGER NOT NULL,  -- the day's last audit record
  head_hash  BLOB NOT NULL,     -- that record's hash
  created_at INTEGER NOT NULL
);
CREATE TRIGGER audit_anchors_append_only_u BEFORE UPDATE ON audit_anchors
BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END;
CREATE TRIGGER audit_anchors_append_only_d BEFORE DELETE ON audit_anchors
BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END;
)sql"},
    // v11 (key rotation): when each resident's current personal code was issued (0: when the
    // resident was created), so that `swabline keys retire --code-key` can tell whether a retired
    // key's codes may still be in residents' hands.
    Migration{R"sql(
ALTER TABLE residents ADD COLUMN code_issued_at INTEGER NOT NULL DEFAULT 0;
)sql"},
};

/// One CHECK of one table, spelt `before` in the table's definition, to be spelt `after`.
struct CheckRewrite {
  std::string_view table;
  std::string_view before;
  std::string_view after;
};

constexpr std::string_view kResultIn = "CHECK (result IN ('negative', 'positive', 'invalid'))";
constexpr std::string_view kResultOr =
    "CHECK (result = 'negative' OR result = 'positive' OR result = 'invalid')";
constexpr std::array<CheckRewrite, 4> kInListChecks = {{
    {"tubes",
     "CHECK (status IN ('open', 'sealed', 'in_box', 'in_transit', 'received', 'resulted'))",
     "CHECK (status = 'open' OR status = 'sealed' OR status = 'in_box' OR "
     "status = 'in_transit' OR status = 'received' OR status = 'resulted')"},
    {"tubes", kResultIn, kResultOr},
    {"tube_results", kResultIn, kResultOr},
    {"places", "CHECK (kind IN ('district','street','community','building','unit','room'))",
     "CHECK (kind = 'district' OR kind = 'street' OR kind = 'community' OR "
     "kind = 'building' OR kind = 'unit' OR kind = 'room')"},
}};

std::string TableSql(Connection& db, std::string_view table) {
  auto q = db.Query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?");
  q->Bind(1, table);
  if (q->Next() != Step::kRow)
    throw std::runtime_error("schema migration: no table '" + std::string(table) + "'");
  return q->Str(0);
}

/// Rewrites one CHECK in its table's definition, and proves it did: the old text must be
/// there before and gone after, the new text there after. A definition spelt otherwise (a
/// hand-edited schema) throws, and the migration's transaction rolls back: a rewrite that
/// silently matched nothing would leave the slow CHECK in place while recording the version.
void RewriteCheck(Connection& db, const CheckRewrite& r) {
  const std::string table(r.table);
  std::string sql = TableSql(db, r.table);
  if (sql.find(r.before) == std::string::npos)
    throw std::runtime_error("schema migration 4: the definition of table '" + table +
                             "' does not hold the expected " + std::string(r.before) +
                             "; nothing was changed");
  for (std::size_t at = sql.find(r.before); at != std::string::npos;
       at = sql.find(r.before, at + r.after.size()))
    sql.replace(at, r.before.size(), r.after);
  auto q = db.Query("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?");
  q->Bind(1, sql).Bind(2, r.table).RunOrThrow();
  const std::string now = TableSql(db, r.table);
  if (now.find(r.before) != std::string::npos || now.find(r.after) == std::string::npos)
    throw std::runtime_error("schema migration 4: rewriting the CHECK of table '" + table +
                             "' did not take; nothing was changed");
}

/// SQLite's writable_schema for the span of one migration, switched off however it ends.
class WritableSchema {
 public:
  explicit WritableSchema(Connection& db) : db_(db) { db_.Exec("PRAGMA writable_schema = ON"); }
  ~WritableSchema() {
    if (on_) try {
        db_.Exec("PRAGMA writable_schema = RESET");
      } catch (const std::exception&) {
        // Already failing: the caller rolls back and reports the first error.
      }
  }
  WritableSchema(const WritableSchema&) = delete;
  WritableSchema& operator=(const WritableSchema&) = delete;
  /// Switches it off and reloads the schema, which parses the rewritten definitions.
  void Reset() {
    on_ = false;
    db_.Exec("PRAGMA writable_schema = RESET");
  }

 private:
  Connection& db_;
  bool on_ = true;
};

void SpellChecksWithoutInLists(Connection& db) {
  WritableSchema writable(db);
  for (const CheckRewrite& r : kInListChecks) RewriteCheck(db, r);
  writable.Reset();
}

/// A session-level advisory lock on PostgreSQL (nothing on SQLite, whose BEGIN IMMEDIATE
/// serialises migrations already), released however the run ends.
class MigrationLock {
 public:
  MigrationLock(Connection& db, bool take) : db_(take ? &db : nullptr) {
    if (db_) Lock("SELECT pg_advisory_lock(?)");
  }
  ~MigrationLock() {
    try {
      if (db_) Lock("SELECT pg_advisory_unlock(?)");
    } catch (const StoreError&) {
      // The session is gone, and its lock with it.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  static constexpr std::int64_t kKey = 0x5357'4142'4c49'4e45;  // "SWABLINE"
  void Lock(const char* sql) {
    auto q = db_->Query(sql);
    q->Bind(1, kKey);
    q->Next();
  }
  Connection* db_;
};

int CurrentVersion(Connection& db) {
  auto q = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  q->Next();
  return static_cast<int>(q->Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

int Migrate(Connection& db) { return MigrateTo(db, LatestSchemaVersion()); }

int MigrateTo(Connection& db, int target) {
  // The same versions on both engines: PostgreSQL's SQL for version v is PostgresMigrations()[v
  // - 1] (src/store/pg/, checked against this file's by tests/pg/schema_test.sh).
  const bool postgres = db.dialect() == Dialect::kPostgres;
  // PostgreSQL's BEGIN takes no lock, and two sessions creating schema_version at once can
  // both fail: several servers starting together on one database queue here, for the whole
  // run, and those after the first find nothing to do.
  MigrationLock lock(db, postgres);
  db.Exec(postgres ? "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
                     "applied_at BIGINT NOT NULL)"
                   : "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                     "applied_at INTEGER NOT NULL)");
  int version = CurrentVersion(db);
  for (int v = version; v < std::min(target, LatestSchemaVersion()); ++v) {
    db.Exec("BEGIN IMMEDIATE");
    // Another process may have migrated while we waited for the lock: read again inside it.
    if (CurrentVersion(db) > v) {
      db.Exec("COMMIT");
      version = CurrentVersion(db);
      continue;
    }
    try {
      const auto i = static_cast<std::size_t>(v);
      if (postgres) {
        db.Exec(PostgresMigrations()[i]);
      } else {
        const Migration& m = kMigrations[i];
        if (!m.sql.empty()) db.Exec(m.sql);
        if (m.run) m.run(db);
      }
      auto q = db.Query("INSERT INTO schema_version(version, applied_at) VALUES (?, ?)");
      q->Bind(1, v + 1).Bind(2, static_cast<std::int64_t>(std::time(nullptr))).RunOrThrow();
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
