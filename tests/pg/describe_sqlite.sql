-- The schema of a SQLite database as lines that describe_pg.sql prints the same way for its
-- PostgreSQL translation (src/store/pg/): one fact a line, sorted by the caller. Types are
-- mapped to the PostgreSQL types of the translation; a rowid alias (INTEGER PRIMARY KEY of a
-- rowid table) is `auto`, as an identity column is there, except the three whose key is another
-- table's id or is given by the store (tally_residents.tally_id, site_stock.site_id,
-- schema_version.version: always given, no identity in PG).
-- A primary key column counts as NOT NULL (PostgreSQL makes it so; see the test's notes).
SELECT 'column ' || m.name || ' ' || c.cid || ' ' || c.name || ' ' ||
       CASE upper(c.type) WHEN 'INTEGER' THEN 'bigint' WHEN 'REAL' THEN 'double precision'
                          WHEN 'BLOB' THEN 'bytea' WHEN 'TEXT' THEN 'text'
                          ELSE 'UNMAPPED:' || c.type END || ' ' ||
       CASE WHEN c."notnull" OR c.pk > 0 THEN 'not-null' ELSE 'null' END ||
       ' pk=' || c.pk ||
       ' default=' || coalesce(c.dflt_value, '-') ||
       CASE WHEN c.pk = 1 AND upper(c.type) = 'INTEGER'
                 AND (SELECT count(*) FROM pragma_table_info(m.name) k WHERE k.pk > 0) = 1
                 AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) i WHERE i.origin = 'pk')
                 AND m.name || '.' || c.name NOT IN ('tally_residents.tally_id',
                                                     'site_stock.site_id',
                                                     'schema_version.version')
            THEN ' auto' ELSE '' END
FROM sqlite_schema m, pragma_table_info(m.name) c
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
UNION ALL
SELECT 'index ' || i.name || ' on ' || m.name ||
       CASE WHEN i."unique" THEN ' unique' ELSE '' END ||
       ' (' || (SELECT group_concat(name, ',') FROM
                 (SELECT x.name FROM pragma_index_info(i.name) x ORDER BY x.seqno)) || ')' ||
       -- A partial index's WHERE, parentheses and runs of blanks taken out (SQLite keeps the
       -- text as written, PostgreSQL prints it back with its own parentheses).
       CASE WHEN i.partial THEN ' where ' ||
         replace(replace(replace(replace(replace(replace(
           substr(replace(s.sql, char(10), ' '), instr(replace(s.sql, char(10), ' '), ' WHERE ') + 7),
           '(', ''), ')', ''), '    ', ' '), '   ', ' '), '  ', ' '), '  ', ' ')
       ELSE '' END
FROM sqlite_schema m, pragma_index_list(m.name) i
JOIN sqlite_schema s ON s.type = 'index' AND s.name = i.name
WHERE m.type = 'table' AND i.origin = 'c'
UNION ALL
SELECT 'unique ' || m.name || ' (' ||
       (SELECT group_concat(name, ',') FROM
          (SELECT x.name FROM pragma_index_info(i.name) x ORDER BY x.seqno)) || ')'
FROM sqlite_schema m, pragma_index_list(m.name) i
WHERE m.type = 'table' AND i.origin = 'u'
UNION ALL
SELECT 'fk ' || m.name || '.' || f."from" || ' -> ' || f."table" || '.' || f."to"
FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
WHERE m.type = 'table'
UNION ALL
-- A trigger's table and event: `BEFORE UPDATE OF result`, as written between its name and ON.
SELECT 'trigger ' || name || ' on ' || tbl_name || ': ' ||
       substr(e, 1, instr(e, ' ON ') - 1)
FROM (SELECT name, tbl_name,
             substr(replace(sql, char(10), ' '), length('CREATE TRIGGER ' || name) + 2) AS e
      FROM sqlite_schema WHERE type = 'trigger');
