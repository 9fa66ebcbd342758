-- The schema of the PostgreSQL translation as the lines describe_sqlite.sql prints for the
-- SQLite one. Indexes: those created by CREATE INDEX, not those backing a PRIMARY KEY or
-- UNIQUE constraint (SQLite's autoindexes, which are not compared by name). Triggers: the
-- user triggers (not the internal ones of foreign keys); their functions are not compared.
-- A column named rowid (PostgreSQL's stand-in for SQLite's implicit one, 0011.sql) and its
-- unique constraint are left out, and the columns after it numbered as if it were not there.
SELECT 'column ' || c.table_name || ' ' ||
       (SELECT count(*) FROM information_schema.columns b
        WHERE b.table_schema = c.table_schema AND b.table_name = c.table_name
          AND b.ordinal_position < c.ordinal_position AND b.column_name <> 'rowid') ||
       ' ' || c.column_name ||
       ' ' || c.data_type || ' ' ||
       CASE WHEN c.is_nullable = 'NO' THEN 'not-null' ELSE 'null' END ||
       ' pk=' || coalesce((SELECT k.ordinal_position FROM information_schema.key_column_usage k
                           JOIN information_schema.table_constraints t
                             ON t.constraint_name = k.constraint_name
                            AND t.table_schema = k.table_schema
                           WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = 'public'
                             AND k.table_name = c.table_name
                             AND k.column_name = c.column_name), 0) ||
       ' default=' || coalesce(regexp_replace(c.column_default, '::text$', ''), '-') ||
       CASE WHEN c.is_identity = 'YES' THEN ' auto' ELSE '' END
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema
 AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.table_schema = 'public' AND c.column_name <> 'rowid'
UNION ALL
SELECT 'index ' || ic.relname || ' on ' || tc.relname ||
       CASE WHEN x.indisunique THEN ' unique' ELSE '' END ||
       ' (' || array_to_string(ARRAY(SELECT a.attname
                                     FROM unnest(x.indkey) WITH ORDINALITY k(n, ord)
                                     JOIN pg_attribute a ON a.attrelid = x.indrelid
                                      AND a.attnum = k.n ORDER BY k.ord), ',') || ')' ||
       CASE WHEN x.indpred IS NOT NULL THEN ' where ' ||
         regexp_replace(regexp_replace(pg_get_expr(x.indpred, x.indrelid), '[()]', '', 'g'),
                        '\s+', ' ', 'g')
       ELSE '' END
FROM pg_index x
JOIN pg_class ic ON ic.oid = x.indexrelid
JOIN pg_class tc ON tc.oid = x.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                  AND k.contype IN ('p', 'u'))
UNION ALL
SELECT 'unique ' || tc.relname || ' (' ||
       array_to_string(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, ord)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n
                             ORDER BY u.ord), ',') || ')'
FROM pg_constraint k
JOIN pg_class tc ON tc.oid = k.conrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
WHERE k.contype = 'u' AND k.conname <> 'tubes_rowid'
UNION ALL
SELECT 'fk ' || tc.relname || '.' || a.attname || ' -> ' || rc.relname || '.' || ra.attname
FROM pg_constraint k
JOIN pg_class tc ON tc.oid = k.conrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
JOIN pg_class rc ON rc.oid = k.confrelid
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
WHERE k.contype = 'f'
UNION ALL
SELECT 'trigger ' || g.tgname || ' on ' || tc.relname || ': ' ||
       substring(pg_get_triggerdef(g.oid) FROM '^CREATE TRIGGER \S+ (.*?) ON ')
FROM pg_trigger g
JOIN pg_class tc ON tc.oid = g.tgrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
WHERE NOT g.tgisinternal;
