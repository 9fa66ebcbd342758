-- Schema version 11 for PostgreSQL 15: kMigrations[10] (key rotation): when each resident's
-- current personal code was issued (0: when the resident was created), so that
-- `swabline keys retire --code-key` can tell whether a retired key's codes may still be in
-- residents' hands.
ALTER TABLE residents ADD COLUMN code_issued_at BIGINT NOT NULL DEFAULT 0;
