-- What the guards of the PostgreSQL schema (src/store/pg/) refuse, and what its counting
-- triggers do, on a database at the newest version: run by schema_test.sh with psql and
-- ON_ERROR_STOP, so any failed assertion fails the test. Each refusal runs in a
-- subtransaction and must fail with the SQLSTATE the store maps (class 23: 23000 for a
-- trigger, as SQLite's RAISE(ABORT) gives SQLITE_CONSTRAINT, with SQLite's message; 23505,
-- 23514 for a unique index or a CHECK, named) and nothing else; the rows it tried are gone.

-- Runs `stmt`; it must fail with SQLSTATE `state`, and `want` must be its message or the name
-- of the constraint it broke.
CREATE FUNCTION pg_temp.refused(stmt text, state text, want text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  got_state text;
  got_message text;
  got_constraint text;
BEGIN
  BEGIN
    EXECUTE stmt;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS got_state = RETURNED_SQLSTATE, got_message = MESSAGE_TEXT,
                            got_constraint = CONSTRAINT_NAME;
    IF got_state <> state OR (got_message IS DISTINCT FROM want
                              AND got_constraint IS DISTINCT FROM want) THEN
      RAISE EXCEPTION E'%\n  refused with % "%" (constraint %)\n  expected % "%"',
        stmt, got_state, got_message, coalesce(got_constraint, '-'), state, want;
    END IF;
    RETURN;
  END;
  RAISE EXCEPTION E'%\n  was accepted; expected % "%"', stmt, state, want;
END;
$$;

-- Asserts that `actual` is `expected`, saying what was checked.
CREATE FUNCTION pg_temp.same(what text, actual text, expected text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF actual IS DISTINCT FROM expected THEN
    RAISE EXCEPTION E'%:\n  got      %\n  expected %', what, actual, expected;
  END IF;
END;
$$;

-- The counts of the tally tables, one string each to compare whole.
CREATE FUNCTION pg_temp.tallies() RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' | ',
    (SELECT string_agg(tally_id || ':' || residents, ' ' ORDER BY tally_id)
       FROM tally_residents),
    (SELECT string_agg(round_id || '/' || tally_id || ':' || sampled || ',' || resulted || ','
                       || positive, ' ' ORDER BY round_id, tally_id) FROM round_tallies),
    (SELECT string_agg(tube_barcode || '/' || tally_id || ':' || n, ' '
                       ORDER BY tube_barcode, tally_id) FROM tube_tallies));
$$;

-- A district (a tally place) with two buildings (tally places), a unit in the first; two
-- residents in the unit, one in the second building; a round with one tube holding the two
-- in the unit. The counts of versions 3 on are written by the store beside its inserts
-- (InsertResident, InsertSample), so here by hand.
INSERT INTO places(id, kind, name, parent_id, path, id_path, tally_id) VALUES
  (1, 'district', 'D', NULL, 'D', '1', 1),
  (2, 'building', 'B', 1, 'D/B', '1/2', 2),
  (3, 'unit', 'U', 2, 'D/B/U', '1/2/3', 2),
  (4, 'building', 'B2', 1, 'D/B2', '1/4', 4);
INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id,
                      created_at, updated_at) VALUES
  (1, 'A', 'id', '\x01', '\x01', 'A*', 3, 0, 0),
  (2, 'B', 'id', '\x02', '\x02', 'B*', 3, 0, 0),
  (3, 'C', 'id', '\x03', '\x03', 'C*', 4, 0, 0);
INSERT INTO tally_residents(tally_id, residents) VALUES (2, 2), (4, 1);
INSERT INTO rounds(id, name, pool_size, created_at) VALUES (1, 'R1', 5, 0), (2, 'R2', 5, 0);
INSERT INTO sites(id, name, place_id, created_at) VALUES (1, 'S', 1, 0);
INSERT INTO tubes(barcode, round_id, site_id, capacity, count, opened_by, opened_at) VALUES
  ('T1', 1, 1, 5, 2, 'c', 0), ('T2', 1, 1, 5, 0, 'c', 0), ('T3', 1, 1, 5, 0, 'c', 0);
INSERT INTO samples(id, tube_barcode, round_id, resident_id, screening, sampled_at,
                    sampled_by) VALUES
  (1, 'T1', 1, 1, 1, 0, 'c'), (2, 'T1', 1, 2, 1, 0, 'c');
INSERT INTO tube_tallies(tube_barcode, tally_id, n) VALUES ('T1', 2, 2);
INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive) VALUES (1, 2, 2, 0, 0);
INSERT INTO result_uploads(id, uploaded_at, uploaded_by, row_count, recorded, corrected,
                           unchanged, rejected) VALUES (1, 0, 'lab', 1, 1, 0, 0, 0);
INSERT INTO audit_anchors(day, seq, head_hash, created_at) VALUES ('2026-12-01', 1, '\x00', 0);

\ir sync_identities.sql

-- The constraints SQLite and PostgreSQL both spell as constraints.
DO $$ BEGIN
  -- Count never above capacity, capacity never above 20: CHECKs (tubes_check is the
  -- name PostgreSQL gives the CHECK of column count, which reads two columns).
  PERFORM pg_temp.refused($q$UPDATE tubes SET count = 6 WHERE barcode = 'T1'$q$,
                          '23514', 'tubes_check');
  PERFORM pg_temp.refused($q$UPDATE tubes SET count = -1 WHERE barcode = 'T1'$q$,
                          '23514', 'tubes_check');
  PERFORM pg_temp.refused(
    $q$INSERT INTO tubes(barcode, round_id, site_id, capacity, opened_by, opened_at)
       VALUES ('T9', 1, 1, 21, 'c', 0)$q$, '23514', 'tubes_capacity_check');
  PERFORM pg_temp.refused($q$UPDATE tubes SET status = 'lost' WHERE barcode = 'T1'$q$,
                          '23514', 'tubes_status_check');
END $$;
DO $$ BEGIN
  PERFORM pg_temp.refused(
    $q$INSERT INTO places(kind, name, parent_id, path, id_path) VALUES ('planet', 'P', 1, 'P', '')$q$,
    '23514', 'places_kind_check');
  PERFORM pg_temp.refused(
    $q$INSERT INTO tube_results(tube_barcode, result, recorded_at, recorded_by)
       VALUES ('T1', 'maybe', 0, 'lab')$q$, '23514', 'tube_results_result_check');
  PERFORM pg_temp.refused($q$UPDATE rounds SET pool_size = 7 WHERE id = 1$q$,
                          '23514', 'rounds_pool_size_check');
  -- A barcode is used once, ever.
  PERFORM pg_temp.refused(
    $q$INSERT INTO tubes(barcode, round_id, site_id, capacity, opened_by, opened_at)
       VALUES ('T1', 1, 1, 5, 'c', 0)$q$, '23505', 'tubes_pkey');
  -- At most one valid screening sample per person and round, unless a repeat was allowed.
  PERFORM pg_temp.refused(
    $q$INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, sampled_by)
       VALUES ('T2', 1, 1, 1, 0, 'c')$q$, '23505', 'samples_once_per_round');
  -- Never the same person twice in one tube, repeat or not.
  PERFORM pg_temp.refused(
    $q$INSERT INTO samples(tube_barcode, round_id, resident_id, screening, repeat_reason,
                           sampled_at, sampled_by) VALUES ('T1', 1, 1, 1, 'spilt', 0, 'c')$q$,
    '23505', 'samples_once_per_tube');
  -- Foreign keys are enforced (the SQLite store opens every connection with foreign_keys=ON).
  PERFORM pg_temp.refused(
    $q$INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, sampled_by)
       VALUES ('T2', 1, 99, 1, 0, 'c')$q$, '23503', 'samples_resident_id_fkey');
  PERFORM pg_temp.refused($q$UPDATE residents SET name = NULL WHERE id = 1$q$, '23502',
                          'null value in column "name" of relation "residents" violates not-null constraint');
END $$;

-- Every trigger that refuses: SQLSTATE 23000 and SQLite's message.
DO $$ BEGIN
  PERFORM pg_temp.refused($q$UPDATE places SET kind = 'street' WHERE id = 2$q$, '23000',
    'a place keeps its kind and parent (coverage tallies depend on them)');
  PERFORM pg_temp.refused($q$UPDATE places SET parent_id = 4 WHERE id = 3$q$, '23000',
    'a place keeps its kind and parent (coverage tallies depend on them)');
  PERFORM pg_temp.refused($q$UPDATE samples SET resident_id = 3 WHERE id = 1$q$, '23000',
    'a sample keeps its tube, round and person: void it instead');
  PERFORM pg_temp.refused($q$UPDATE samples SET tube_barcode = 'T2' WHERE id = 1$q$, '23000',
    'a sample keeps its tube, round and person: void it instead');
  PERFORM pg_temp.refused($q$UPDATE samples SET round_id = 2 WHERE id = 1$q$, '23000',
    'a sample keeps its tube, round and person: void it instead');
  PERFORM pg_temp.refused($q$DELETE FROM samples WHERE id = 1$q$, '23000',
    'samples are voided, never deleted');
  PERFORM pg_temp.refused($q$UPDATE tubes SET round_id = 2 WHERE barcode = 'T1'$q$, '23000',
    'a tube keeps its round');
  PERFORM pg_temp.refused($q$UPDATE result_uploads SET rejected = 1$q$, '23000',
    'result uploads are append-only');
  PERFORM pg_temp.refused($q$DELETE FROM result_uploads$q$, '23000',
    'result uploads are append-only');
  PERFORM pg_temp.refused($q$UPDATE audit_anchors SET seq = 2$q$, '23000',
    'audit anchors are append-only');
  PERFORM pg_temp.refused($q$DELETE FROM audit_anchors$q$, '23000',
    'audit anchors are append-only');
END $$;
-- What they let through: other columns, the same value again, a place's name.
UPDATE places SET name = 'B-renamed', kind = 'building', parent_id = 1 WHERE id = 2;
UPDATE samples SET resident_id = 1, sampled_by = 'd' WHERE id = 1;
UPDATE tubes SET round_id = 1, status = 'sealed' WHERE barcode = 'T1';
DELETE FROM tubes WHERE barcode = 'T3';  -- no result: a tube may go

-- A result moves the tally counts; once set, it keeps its time, changes only by a
-- correction (recorded first, with a reason that is not blank), and its tube stays.
DO $$ BEGIN
  PERFORM pg_temp.same('counts before', pg_temp.tallies(), '2:2 4:1 | 1/2:2,0,0 | T1/2:2');
  INSERT INTO tube_results(tube_barcode, result, recorded_at, recorded_by, upload_id)
    VALUES ('T1', 'positive', 100, 'lab', 1);
  UPDATE tubes SET result = 'positive', resulted_at = 100, status = 'resulted'
    WHERE barcode = 'T1';
  PERFORM pg_temp.same('counts after a positive result', pg_temp.tallies(),
                       '2:2 4:1 | 1/2:2,2,2 | T1/2:2');
  PERFORM pg_temp.refused($q$UPDATE tube_results SET ct_n = 30$q$, '23000',
    'tube results are append-only');
  PERFORM pg_temp.refused($q$DELETE FROM tube_results$q$, '23000',
    'tube results are append-only');
  PERFORM pg_temp.refused($q$UPDATE tubes SET resulted_at = 200 WHERE barcode = 'T1'$q$, '23000',
    'a tube keeps the time of its first result');
  PERFORM pg_temp.refused($q$UPDATE tubes SET resulted_at = NULL WHERE barcode = 'T1'$q$,
    '23000', 'a tube keeps the time of its first result');
  PERFORM pg_temp.refused($q$DELETE FROM tubes WHERE barcode = 'T1'$q$, '23000',
    'a tube with a result is never deleted');
  PERFORM pg_temp.refused($q$UPDATE tubes SET result = 'negative' WHERE barcode = 'T1'$q$,
    '23000', 'a result changes only by a correction');
  PERFORM pg_temp.refused($q$UPDATE tubes SET result = NULL WHERE barcode = 'T1'$q$,
    '23000', 'a result changes only by a correction');
  -- A correction row with a blank reason is no correction (version 10).
  INSERT INTO tube_results(tube_barcode, result, correction_reason, recorded_at, recorded_by)
    VALUES ('T1', 'negative', '   ', 110, 'lab');
  PERFORM pg_temp.refused($q$UPDATE tubes SET result = 'negative' WHERE barcode = 'T1'$q$,
    '23000', 'a result changes only by a correction');
  -- Nor one that is not the tube's latest result.
  INSERT INTO tube_results(tube_barcode, result, correction_reason, recorded_at, recorded_by)
    VALUES ('T1', 'negative', 'swapped plate', 120, 'lab'),
           ('T1', 'invalid', NULL, 121, 'lab');
  PERFORM pg_temp.refused($q$UPDATE tubes SET result = 'negative' WHERE barcode = 'T1'$q$,
    '23000', 'a result changes only by a correction');
  INSERT INTO tube_results(tube_barcode, result, correction_reason, recorded_at, recorded_by)
    VALUES ('T1', 'negative', 'swapped plate', 130, 'lab');
  UPDATE tubes SET result = 'negative' WHERE barcode = 'T1';
  PERFORM pg_temp.same('counts after the correction to negative', pg_temp.tallies(),
                       '2:2 4:1 | 1/2:2,2,0 | T1/2:2');
  UPDATE tubes SET result = 'negative', resulted_at = 100 WHERE barcode = 'T1';  -- no change
END $$;

-- A void takes a sample out of the counts, for good.
DO $$ BEGIN
  UPDATE samples SET voided_at = 5, void_reason = 'mislabelled' WHERE id = 2;
  PERFORM pg_temp.same('counts after a void', pg_temp.tallies(), '2:2 4:1 | 1/2:1,1,0 | T1/2:1');
  PERFORM pg_temp.refused($q$UPDATE samples SET voided_at = NULL WHERE id = 2$q$, '23000',
    'a voided sample stays voided');
  UPDATE samples SET voided_at = 6 WHERE id = 2;  -- voided again: no second decrement
  PERFORM pg_temp.same('counts after a second void', pg_temp.tallies(),
                       '2:2 4:1 | 1/2:1,1,0 | T1/2:1');
  -- Once voided, the person may be sampled in the round again, in the same tube too.
  INSERT INTO samples(id, tube_barcode, round_id, resident_id, screening, sampled_at,
                      sampled_by) VALUES (3, 'T2', 1, 2, 1, 7, 'c');
  INSERT INTO samples(id, tube_barcode, round_id, resident_id, screening, repeat_reason,
                      sampled_at, sampled_by) VALUES (4, 'T1', 1, 2, 1, 'second', 8, 'c');
  -- Counted as InsertSample counts them (T1 has a result, T2 none), then voided.
  UPDATE tube_tallies SET n = n + 1 WHERE tube_barcode = 'T1';
  INSERT INTO tube_tallies(tube_barcode, tally_id, n) VALUES ('T2', 2, 1);
  UPDATE round_tallies SET sampled = sampled + 2, resulted = resulted + 1;
  UPDATE samples SET voided_at = 9 WHERE id IN (3, 4);
  PERFORM pg_temp.same('counts after voiding two more', pg_temp.tallies(),
                       '2:2 4:1 | 1/2:1,1,0 | T1/2:1 T2/2:0');
END $$;

-- A move takes the resident and their valid samples' counts to the new tally place; a move
-- inside one tally place moves nothing; a deleted resident leaves their tally place's count.
DO $$ BEGIN
  INSERT INTO round_repeaters(round_id, tally_id, resident_id) VALUES (1, 2, 1);
  UPDATE residents SET place_id = 2 WHERE id = 1;  -- unit 3 to building 2: both tally 2
  PERFORM pg_temp.same('counts after a move within a tally place', pg_temp.tallies(),
                       '2:2 4:1 | 1/2:1,1,0 | T1/2:1 T2/2:0');
  UPDATE residents SET place_id = 4 WHERE id = 1;
  PERFORM pg_temp.same('counts after a move', pg_temp.tallies(),
                       '2:1 4:2 | 1/2:0,0,0 1/4:1,1,0 | T1/2:0 T1/4:1 T2/2:0');
  PERFORM pg_temp.same('repeater moved',
    (SELECT string_agg(round_id || '/' || tally_id || '/' || resident_id, ' ')
       FROM round_repeaters), '1/4/1');
  DELETE FROM residents WHERE id = 3;
  PERFORM pg_temp.same('counts after a delete', pg_temp.tallies(),
                       '2:1 4:1 | 1/2:0,0,0 1/4:1,1,0 | T1/2:0 T1/4:1 T2/2:0');
END $$;
