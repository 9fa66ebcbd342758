-- Schema version 3 for PostgreSQL 15: kMigrations[2], the coverage tallies (why they exist and
-- how they move: the comment above that entry in src/store/migrations.cpp). SQLite's
-- `x IS NOT y` is `x IS DISTINCT FROM y` here, and its booleans-as-integers (SUM(result IS NOT
-- NULL), SUM(result IS 'positive')) are counts. `WITHOUT ROWID` is SQLite's storage choice (a
-- table kept in its primary key's b-tree); a PostgreSQL table is a heap with its primary key
-- as an index either way, so it is left out.
--
-- The AFTER triggers are row triggers, as SQLite's are. PostgreSQL runs them at the end of the
-- statement, SQLite after each row; none of them reads the rows its own table's statement
-- changes (a resident's move reads samples, a void reads residents and tubes, a result reads
-- tube_tallies), and what they add is a sum, so the counts come out the same.

ALTER TABLE places ADD COLUMN tally_id BIGINT;
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
FOR EACH ROW WHEN (NEW.kind IS DISTINCT FROM OLD.kind OR NEW.parent_id IS DISTINCT FROM OLD.parent_id)
EXECUTE FUNCTION swabline_refuse('a place keeps its kind and parent (coverage tallies depend on them)');

-- Residents living now under each tally place: `expected` of coverage. tally_id is a place's
-- id, always given: no identity.
CREATE TABLE tally_residents (
  tally_id  BIGINT PRIMARY KEY,
  residents BIGINT NOT NULL
);
INSERT INTO tally_residents(tally_id, residents)
  SELECT p.tally_id, COUNT(*) FROM residents r JOIN places p ON p.id = r.place_id
  WHERE p.tally_id IS NOT NULL GROUP BY p.tally_id;

CREATE TABLE round_tallies (
  round_id BIGINT NOT NULL,
  tally_id BIGINT NOT NULL,
  sampled  BIGINT NOT NULL,  -- valid samples in the round
  resulted BIGINT NOT NULL,  -- of those, in a tube with a result
  positive BIGINT NOT NULL,  -- of those, in a positive tube
  PRIMARY KEY (round_id, tally_id)
);
INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive)
  SELECT s.round_id, p.tally_id, COUNT(*), COUNT(t.result),
         COUNT(*) FILTER (WHERE t.result = 'positive')
  FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode
  JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE s.voided_at IS NULL AND p.tally_id IS NOT NULL GROUP BY s.round_id, p.tally_id;

-- How many valid samples of each tube belong to each tally place: what a result moves.
CREATE TABLE tube_tallies (
  tube_barcode TEXT NOT NULL,
  tally_id     BIGINT NOT NULL,
  n            BIGINT NOT NULL,
  PRIMARY KEY (tube_barcode, tally_id)
);
INSERT INTO tube_tallies(tube_barcode, tally_id, n)
  SELECT s.tube_barcode, p.tally_id, COUNT(*)
  FROM samples s JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE s.voided_at IS NULL AND p.tally_id IS NOT NULL GROUP BY s.tube_barcode, p.tally_id;

-- Who gave a repeat or a retest sample in a round, by their tally place: everyone with two or
-- more valid samples in a round is here (samples_once_per_round allows one plain screening
-- sample), so coverage finds them under a place without visiting its residents. A row stays
-- when the sample is voided: it then only costs a look.
CREATE TABLE round_repeaters (
  round_id    BIGINT NOT NULL,
  tally_id    BIGINT NOT NULL,
  resident_id BIGINT NOT NULL,
  PRIMARY KEY (round_id, tally_id, resident_id)
);
CREATE INDEX round_repeaters_resident ON round_repeaters(resident_id);
INSERT INTO round_repeaters(round_id, tally_id, resident_id)
  SELECT DISTINCT s.round_id, p.tally_id, s.resident_id
  FROM samples s JOIN residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id
  WHERE (s.repeat_reason IS NOT NULL OR s.screening = 0) AND p.tally_id IS NOT NULL;

CREATE FUNCTION residents_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tally_residents SET residents = residents - 1
  WHERE tally_id = (SELECT tally_id FROM places WHERE id = OLD.place_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER residents_tally_delete AFTER DELETE ON residents
FOR EACH ROW EXECUTE FUNCTION residents_tally_delete();

-- A move takes the resident and their valid samples' counts to the new tally place. The
-- comparison of the two tally places (a subquery, which a PostgreSQL WHEN cannot hold) is in
-- the function.
CREATE FUNCTION residents_tally_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_tally BIGINT := (SELECT tally_id FROM places WHERE id = OLD.place_id);
  new_tally BIGINT := (SELECT tally_id FROM places WHERE id = NEW.place_id);
BEGIN
  IF old_tally IS NOT DISTINCT FROM new_tally THEN
    RETURN NULL;
  END IF;
  UPDATE tally_residents SET residents = residents - 1 WHERE tally_id = old_tally;
  IF new_tally IS NOT NULL THEN
    INSERT INTO tally_residents AS tr (tally_id, residents) VALUES (new_tally, 1)
      ON CONFLICT (tally_id) DO UPDATE SET residents = tr.residents + 1;
  END IF;
  UPDATE round_tallies
  SET sampled = sampled - m.moved_sampled, resulted = resulted - m.moved_resulted,
      positive = positive - m.moved_positive
  FROM (SELECT s.round_id, COUNT(*) AS moved_sampled, COUNT(t.result) AS moved_resulted,
               COUNT(*) FILTER (WHERE t.result = 'positive') AS moved_positive
        FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode
        WHERE s.resident_id = NEW.id AND s.voided_at IS NULL GROUP BY s.round_id) AS m
  WHERE round_tallies.round_id = m.round_id AND round_tallies.tally_id = old_tally;
  IF new_tally IS NOT NULL THEN
    INSERT INTO round_tallies AS rt (round_id, tally_id, sampled, resulted, positive)
      SELECT s.round_id, new_tally, COUNT(*), COUNT(t.result),
             COUNT(*) FILTER (WHERE t.result = 'positive')
      FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode
      WHERE s.resident_id = NEW.id AND s.voided_at IS NULL GROUP BY s.round_id
      ON CONFLICT (round_id, tally_id) DO UPDATE SET sampled = rt.sampled + excluded.sampled,
        resulted = rt.resulted + excluded.resulted, positive = rt.positive + excluded.positive;
  END IF;
  UPDATE tube_tallies SET n = n - m.moved
  FROM (SELECT tube_barcode, COUNT(*) AS moved FROM samples
        WHERE resident_id = NEW.id AND voided_at IS NULL GROUP BY tube_barcode) AS m
  WHERE tube_tallies.tube_barcode = m.tube_barcode AND tube_tallies.tally_id = old_tally;
  IF new_tally IS NOT NULL THEN
    INSERT INTO tube_tallies AS tt (tube_barcode, tally_id, n)
      SELECT s.tube_barcode, new_tally, COUNT(*)
      FROM samples s WHERE s.resident_id = NEW.id AND s.voided_at IS NULL
      GROUP BY s.tube_barcode
      ON CONFLICT (tube_barcode, tally_id) DO UPDATE SET n = tt.n + excluded.n;
    UPDATE round_repeaters SET tally_id = new_tally WHERE resident_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER residents_tally_move AFTER UPDATE OF place_id ON residents
FOR EACH ROW WHEN (NEW.place_id IS DISTINCT FROM OLD.place_id)
EXECUTE FUNCTION residents_tally_move();

CREATE FUNCTION samples_tally_void() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tube_tallies SET n = n - 1
  WHERE tube_barcode = OLD.tube_barcode AND tally_id = (
    SELECT p.tally_id FROM residents r JOIN places p ON p.id = r.place_id
    WHERE r.id = OLD.resident_id);
  UPDATE round_tallies SET
    sampled = sampled - 1,
    resulted = resulted - (SELECT (result IS NOT NULL)::int FROM tubes
                           WHERE barcode = OLD.tube_barcode),
    positive = positive - (SELECT (result IS NOT DISTINCT FROM 'positive')::int FROM tubes
                           WHERE barcode = OLD.tube_barcode)
  WHERE round_id = OLD.round_id AND tally_id = (
    SELECT p.tally_id FROM residents r JOIN places p ON p.id = r.place_id
    WHERE r.id = OLD.resident_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER samples_tally_void AFTER UPDATE OF voided_at ON samples
FOR EACH ROW WHEN (OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL)
EXECUTE FUNCTION samples_tally_void();
-- What the counts cannot follow is refused: a sample is voided, never changed back or deleted.
CREATE TRIGGER samples_void_is_final BEFORE UPDATE OF voided_at ON samples
FOR EACH ROW WHEN (OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL)
EXECUTE FUNCTION swabline_refuse('a voided sample stays voided');
CREATE TRIGGER samples_keep_identity BEFORE UPDATE OF tube_barcode, round_id, resident_id ON samples
FOR EACH ROW WHEN (NEW.tube_barcode IS DISTINCT FROM OLD.tube_barcode
                   OR NEW.round_id IS DISTINCT FROM OLD.round_id
                   OR NEW.resident_id IS DISTINCT FROM OLD.resident_id)
EXECUTE FUNCTION swabline_refuse('a sample keeps its tube, round and person: void it instead');
CREATE TRIGGER samples_never_deleted BEFORE DELETE ON samples
FOR EACH ROW EXECUTE FUNCTION swabline_refuse('samples are voided, never deleted');
CREATE TRIGGER tubes_keep_round BEFORE UPDATE OF round_id ON tubes
FOR EACH ROW WHEN (NEW.round_id IS DISTINCT FROM OLD.round_id)
EXECUTE FUNCTION swabline_refuse('a tube keeps its round');

-- A result moves each tally place's counts by its number of samples in the tube: one small
-- upsert per tally place in the tube, without reading the tube's samples.
CREATE FUNCTION tubes_result_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO round_tallies AS rt (round_id, tally_id, sampled, resulted, positive)
    SELECT NEW.round_id, tally_id, 0,
           n * ((NEW.result IS NOT NULL)::int - (OLD.result IS NOT NULL)::int),
           n * ((NEW.result IS NOT DISTINCT FROM 'positive')::int
                - (OLD.result IS NOT DISTINCT FROM 'positive')::int)
    FROM tube_tallies WHERE tube_barcode = NEW.barcode
    ON CONFLICT (round_id, tally_id) DO UPDATE SET resulted = rt.resulted + excluded.resulted,
      positive = rt.positive + excluded.positive;
  RETURN NULL;
END;
$$;
CREATE TRIGGER tubes_result_tally AFTER UPDATE OF result ON tubes
FOR EACH ROW WHEN (NEW.result IS DISTINCT FROM OLD.result)
EXECUTE FUNCTION tubes_result_tally();
