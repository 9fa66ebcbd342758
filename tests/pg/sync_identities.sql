-- Rows given explicit ids leave an identity column's sequence where it was, where SQLite
-- would go on from the highest rowid: the next insert without an id would take an id in use
-- and fail on the primary key. This moves every sequence past its table's highest id, as
-- anything that writes explicit ids (a fixture, an import, a restore) must do afterwards.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), '
                   'coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',
                   c.table_name, c.column_name, c.column_name, c.table_name);
  END LOOP;
END $$;
