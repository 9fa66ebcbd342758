-- Rows for a database at schema version 2, in SQL that SQLite and PostgreSQL read alike, so
-- that the backfills of later versions (3: places.tally_id and the tally tables; 7:
-- site_lanes) have work, and schema_test.sh compares what they wrote in each. Blobs are
-- written as the text '\x..': PostgreSQL reads that as bytea, SQLite keeps it as text, and
-- both print it back the same.
-- A district, a street, a community; a building with a unit and a room (tally place: the
-- building), a room right under the community (its tally place: the community), a second
-- building.
INSERT INTO places(id, kind, name, parent_id, path, id_path) VALUES
  (1, 'district', 'D', NULL, 'D', '/1/'),
  (2, 'street', 'S', 1, 'D/S', '/1/2/'),
  (3, 'community', 'C', 2, 'D/S/C', '/1/2/3/'),
  (4, 'building', 'B', 3, 'D/S/C/B', '/1/2/3/4/'),
  (5, 'unit', 'U', 4, 'D/S/C/B/U', '/1/2/3/4/5/'),
  (6, 'room', 'R', 5, 'D/S/C/B/U/R', '/1/2/3/4/5/6/'),
  (7, 'room', 'R2', 3, 'D/S/C/R2', '/1/2/3/7/'),
  (8, 'building', 'B2', 3, 'D/S/C/B2', '/1/2/3/8/');
INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id,
                      created_at, updated_at) VALUES
  (1, 'a', 'resident_id', '\x01', '\x01', 'a*', 6, 0, 0),
  (2, 'b', 'resident_id', '\x02', '\x02', 'b*', 6, 0, 0),
  (3, 'c', 'resident_id', '\x03', '\x03', 'c*', 7, 0, 0),
  (4, 'd', 'resident_id', '\x04', '\x04', 'd*', 8, 0, 0),
  (5, 'e', 'resident_id', '\x05', '\x05', 'e*', 4, 0, 0);
INSERT INTO rounds(id, name, pool_size, created_at) VALUES (1, 'R1', 5, 0), (2, 'R2', 1, 0);
INSERT INTO sites(id, name, place_id, created_at) VALUES (1, 'S1', 3, 10), (2, 'S2', 8, 20);
INSERT INTO tubes(barcode, round_id, site_id, capacity, count, status, result, purpose,
                  opened_by, opened_at) VALUES
  ('T1', 1, 1, 5, 3, 'resulted', 'positive', 'screening', 'c', 0),
  ('T2', 1, 1, 5, 2, 'resulted', 'negative', 'screening', 'c', 0),
  ('T3', 1, 2, 5, 2, 'sealed', NULL, 'screening', 'c', 0),
  ('T4', 2, 2, 1, 1, 'open', NULL, 'retest', 'c', 0);
-- Three in a positive tube; a repeat in a negative one; a voided sample and its valid
-- successor; a retest in round 2.
INSERT INTO samples(id, tube_barcode, round_id, resident_id, screening, repeat_reason,
                    sampled_at, sampled_by, voided_at) VALUES
  (1, 'T1', 1, 1, 1, NULL, 1, 'c', NULL),
  (2, 'T1', 1, 2, 1, NULL, 1, 'c', NULL),
  (3, 'T1', 1, 3, 1, NULL, 1, 'c', NULL),
  (4, 'T2', 1, 4, 1, NULL, 1, 'c', NULL),
  (5, 'T2', 1, 1, 1, 'spilt', 2, 'c', NULL),
  (6, 'T3', 1, 5, 1, NULL, 1, 'c', 3),
  (7, 'T3', 1, 5, 1, NULL, 4, 'c', NULL),
  (8, 'T4', 2, 2, 0, NULL, 5, 'c', NULL);
