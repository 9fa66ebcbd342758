#pragma once
/// Versioned schema migrations, run in order at start by every command that opens a database.

#include "store/connection.hpp"

namespace swabline::store {

/// Brings the schema to the newest version, each migration in its own transaction.
/// Returns the version now in force. REQUIRES: a read-write connection, no open transaction.
int Migrate(Connection& db);

/// As Migrate, but stops at `version` (tests of a migration's backfill fill a database under
/// the version before it). Never goes back: returns the version now in force.
int MigrateTo(Connection& db, int version);

/// The newest schema version this build knows.
int LatestSchemaVersion();

}  // namespace swabline::store
