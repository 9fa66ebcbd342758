-- Schema version 6 for PostgreSQL 15: kMigrations[5], settings, outbox deliveries, zones that
-- stepped down. (`WITHOUT ROWID` left out: see 0003.sql.)

-- Settings an admin changes through the API, each one JSON document under its key (the zone
-- policy, the pooling advisor's assay); a missing key means the built-in default.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT
);
-- One row per outbox message and delivery adapter (log, webhook): the worker claims the due
-- ones, and a row with delivered_at set is never sent again by that adapter. Keyed adapter
-- first, so the highest message an adapter has taken on is one index seek.
CREATE TABLE outbox_deliveries (
  outbox_id       BIGINT NOT NULL REFERENCES outbox(id),
  adapter         TEXT NOT NULL,
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  delivered_at    BIGINT,
  last_error      TEXT,
  PRIMARY KEY (adapter, outbox_id)
);
CREATE INDEX outbox_deliveries_due ON outbox_deliveries(adapter, next_attempt_at)
  WHERE delivered_at IS NULL;
-- A zone a lifting rule stepped down from a stricter one (sealed, then controlled for three
-- days) ends by that level's rule, so it remembers the level it came from.
ALTER TABLE zones ADD COLUMN stepped_down_from TEXT
  CHECK (stepped_down_from IS NULL OR stepped_down_from = 'temporary'
         OR stepped_down_from = 'sealed' OR stepped_down_from = 'controlled'
         OR stepped_down_from = 'prevention');
-- Active zones by place and level (and incident), replacing zones_active_place (why: the
-- comment of this version in src/store/migrations.cpp).
DROP INDEX zones_active_place;
CREATE INDEX zones_active ON zones(place_id, level, incident_id) WHERE lifted_at IS NULL;
