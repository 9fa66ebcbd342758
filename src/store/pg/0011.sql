-- Schema version 11 for PostgreSQL 15: kMigrations[10] (key rotation): when each resident's
-- current personal code was issued (0: when the resident was created), so that
-- `swabline keys retire --code-key` can tell whether a retired key's codes may still be in
-- residents' hands.
ALTER TABLE residents ADD COLUMN code_issued_at BIGINT NOT NULL DEFAULT 0;

-- PostgreSQL has no rowid. The store addresses tubes by theirs (the lab upload updates the
-- rows it looked up by it) and lists checklist items in the order they were added: each gets a
-- stand-in, numbered in insertion order as SQLite's is. tests/pg/describe_pg.sql leaves it out
-- of the schema comparison.
ALTER TABLE tubes ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE tubes ADD CONSTRAINT tubes_rowid UNIQUE (rowid);
ALTER TABLE incident_checklist ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
