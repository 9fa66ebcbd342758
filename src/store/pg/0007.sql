-- Schema version 7 for PostgreSQL 15: kMigrations[6], sites and queues: a site's opening hours
-- (minutes of the local day, `to_minute` exclusive; none: always open), its lanes with the
-- people waiting in each, and its collectors on shift. (`WITHOUT ROWID` left out: see
-- 0003.sql.)
CREATE TABLE site_hours (
  site_id     BIGINT NOT NULL REFERENCES sites(id),
  from_minute BIGINT NOT NULL CHECK (from_minute >= 0 AND from_minute < 1440),
  to_minute   BIGINT NOT NULL CHECK (to_minute > from_minute AND to_minute <= 1440),
  PRIMARY KEY (site_id, from_minute)
);
CREATE TABLE site_lanes (
  site_id    BIGINT NOT NULL REFERENCES sites(id),
  lane       TEXT NOT NULL CHECK (lane = 'general' OR lane = 'green'),
  waiting    BIGINT NOT NULL DEFAULT 0 CHECK (waiting >= 0),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, lane)
);
INSERT INTO site_lanes(site_id, lane, waiting, updated_at)
  SELECT id, 'general', 0, created_at FROM sites;
ALTER TABLE sites ADD COLUMN collectors BIGINT NOT NULL DEFAULT 0 CHECK (collectors >= 0);
-- A site's recent scans: its tubes still open or sealed lately, then their samples.
CREATE INDEX tubes_site ON tubes(site_id, sealed_at);
