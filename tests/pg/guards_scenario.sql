-- Statements run one by one, each on its own, against the SQLite and the PostgreSQL databases
-- that schema_test.sh brought to the newest version with the rows of fill_v2.sql: each must
-- be accepted by both or refused by both, for the same reason (a trigger's message, or the
-- kind of constraint), and afterwards every table must hold the same rows in both, the
-- tally counts that the triggers keep included. One statement a line; `--` lines are
-- comments. Before: T1 (round 1, positive) holds residents 1, 2, 3; T2 (round 1, negative)
-- 4 and 1's repeat; T3 (round 1, no result) 5's voided sample and 5's valid one; T4 (round 2,
-- retest) 2. Residents 1 and 2 live in a room of building 4, 3 in a room of community 3, 4 in
-- building 8, 5 in building 4.

-- A place keeps its kind and parent; the same values, or its name, may be written.
UPDATE places SET kind = 'street' WHERE id = 4
UPDATE places SET parent_id = 2 WHERE id = 4
UPDATE places SET parent_id = NULL WHERE id = 4
UPDATE places SET name = 'B-renamed', kind = 'building', parent_id = 3 WHERE id = 4
UPDATE places SET kind = 'planet' WHERE id = 9
INSERT INTO places(id, kind, name, parent_id, path, id_path) VALUES (9, 'planet', 'P', 3, 'P', '')
INSERT INTO places(id, kind, name, parent_id, path, id_path) VALUES (9, 'room', 'P', 3, 'D/S/C', '')

-- A sample keeps its tube, round and person, is voided (for good), never deleted.
UPDATE samples SET resident_id = 4 WHERE id = 1
UPDATE samples SET tube_barcode = 'T3' WHERE id = 1
UPDATE samples SET round_id = 2 WHERE id = 1
UPDATE samples SET resident_id = 1, sampled_by = 'x' WHERE id = 1
DELETE FROM samples WHERE id = 6
UPDATE samples SET voided_at = NULL WHERE id = 6
UPDATE samples SET voided_at = 99 WHERE id = 6
INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, sampled_by) VALUES ('T3', 1, 2, 1, 9, 'c')
INSERT INTO samples(tube_barcode, round_id, resident_id, screening, repeat_reason, sampled_at, sampled_by) VALUES ('T1', 1, 1, 1, 'again', 9, 'c')
INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, sampled_by) VALUES ('T3', 1, 99, 1, 9, 'c')
INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, sampled_by) VALUES ('T3', 1, 2, NULL, 9, 'c')

-- A tube keeps its round; its count stays within its capacity, its capacity within 20.
UPDATE tubes SET round_id = 2 WHERE barcode = 'T3'
UPDATE tubes SET round_id = 1, opened_by = 'd' WHERE barcode = 'T3'
UPDATE tubes SET count = 6 WHERE barcode = 'T1'
UPDATE tubes SET capacity = 21, count = 3 WHERE barcode = 'T1'
UPDATE tubes SET status = 'lost' WHERE barcode = 'T1'
INSERT INTO tubes(barcode, round_id, site_id, capacity, opened_by, opened_at) VALUES ('T1', 1, 1, 5, 'c', 0)
DELETE FROM tubes WHERE barcode = 'T1'
DELETE FROM tubes WHERE barcode = 'T4'

-- Results: append-only rows, uploads append-only, a change only by a correction (the latest
-- row, with a reason that is not blank), the time of the first result kept.
INSERT INTO result_uploads(id, uploaded_at, uploaded_by, row_count, recorded, corrected, unchanged, rejected) VALUES (1, 0, 'lab', 2, 1, 1, 0, 0)
UPDATE result_uploads SET rejected = 1
DELETE FROM result_uploads
UPDATE tubes SET result = 'negative' WHERE barcode = 'T1'
UPDATE tubes SET result = NULL WHERE barcode = 'T1'
INSERT INTO tube_results(id, tube_barcode, result, correction_reason, recorded_at, recorded_by, upload_id) VALUES (1, 'T1', 'negative', '   ', 10, 'lab', 1)
UPDATE tubes SET result = 'negative' WHERE barcode = 'T1'
INSERT INTO tube_results(id, tube_barcode, result, correction_reason, recorded_at, recorded_by, upload_id) VALUES (2, 'T1', 'negative', 'plate swapped', 11, 'lab', 1)
INSERT INTO tube_results(id, tube_barcode, result, recorded_at, recorded_by) VALUES (3, 'T1', 'maybe', 12, 'lab')
INSERT INTO tube_results(id, tube_barcode, result, recorded_at, recorded_by) VALUES (3, 'T9', 'negative', 12, 'lab')
UPDATE tube_results SET ct_n = 30
DELETE FROM tube_results WHERE id = 1
UPDATE tubes SET result = 'negative', resulted_at = 100 WHERE barcode = 'T1'
UPDATE tubes SET resulted_at = 200 WHERE barcode = 'T1'
UPDATE tubes SET resulted_at = NULL WHERE barcode = 'T1'
UPDATE tubes SET resulted_at = 100, result = 'negative' WHERE barcode = 'T1'
-- Two guards refusing one statement: SQLite runs the newest trigger first, PostgreSQL the
-- triggers in the order of their names. The message is the same here, but not for
-- `SET round_id = 2, result = 'negative'` on a positive tube (SQLite: a result changes only
-- by a correction; PostgreSQL: a tube keeps its round): both refuse it, each with another of
-- its reasons, so it is not run here.
UPDATE tubes SET round_id = 2, resulted_at = 5 WHERE barcode = 'T1'
UPDATE samples SET voided_at = NULL, resident_id = 3 WHERE id = 6
UPDATE tubes SET result = 'positive', resulted_at = 50 WHERE barcode = 'T3'
-- One statement over two tubes: refused whole when one of them may not change.
UPDATE tubes SET result = 'negative' WHERE barcode IN ('T3', 'T4')
UPDATE tubes SET result = 'invalid' WHERE barcode IN ('T4')

-- Voids, several in one statement; moves across and within tally places; a delete.
UPDATE samples SET voided_at = 20, void_reason = 'broken' WHERE id = 2
UPDATE samples SET voided_at = 30 WHERE tube_barcode = 'T2'
UPDATE residents SET place_id = 8 WHERE id = 1
UPDATE residents SET place_id = 5 WHERE id = 2
UPDATE residents SET place_id = 7, name = 'e2' WHERE id = 5
UPDATE residents SET place_id = 1 WHERE id IN (2, 3)
DELETE FROM residents WHERE id = 4
INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id, created_at, updated_at) VALUES (6, 'f', 'resident_id', '\x06', '\x06', 'f*', 8, 0, 0)
DELETE FROM residents WHERE id = 6
INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id, created_at, updated_at) VALUES (7, 'g', 'resident_id', '\x01', '\x07', 'g*', 8, 0, 0)

-- The audit chain's anchors are append-only.
INSERT INTO audit_anchors(day, seq, head_hash, created_at) VALUES ('2026-12-01', 1, '\x00', 0)
INSERT INTO audit_anchors(day, seq, head_hash, created_at) VALUES ('2026-12-01', 2, '\x00', 0)
UPDATE audit_anchors SET seq = 2
DELETE FROM audit_anchors

-- CHECKs of later versions.
INSERT INTO site_hours(site_id, from_minute, to_minute) VALUES (1, 600, 500)
INSERT INTO site_hours(site_id, from_minute, to_minute) VALUES (1, 500, 600)
UPDATE site_lanes SET waiting = -1
UPDATE sites SET collectors = -1
INSERT INTO zones(id, place_id, level, reason, started_at, stepped_down_from) VALUES (1, 4, 'controlled', 'r', 0, 'open')
INSERT INTO zones(id, place_id, level, reason, started_at, stepped_down_from) VALUES (1, 4, 'controlled', 'r', 0, 'sealed')
