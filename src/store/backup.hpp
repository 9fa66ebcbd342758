#pragma once
/// Backups and restores of the database file (README, Backups and the audit anchor;
/// docs/security.md, Disk loss or failure).
///
/// A backup is SQLite's online backup API stepped inside one read transaction on the source:
/// the copy is the snapshot that transaction began with, however many writes commit while it
/// runs, and in WAL mode a reader never blocks the writer (it only keeps the WAL from being
/// checkpointed past its snapshot until it ends). Pages are copied as they are, without the
/// rebuild of every table and index that VACUUM INTO does, and in steps, so progress can be
/// shown. The key file that seals ID numbers is a separate file and is never copied.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace swabline::store {

struct BackupReport {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  std::int64_t audit_records = 0;  // in the snapshot copied
  int steps = 0;
};

/// Called after each step with the pages copied so far and the total.
using BackupProgress = std::function<void(std::int64_t copied, std::int64_t total)>;

/// Copies the database at `source` to `dest`, written beside it as `dest`.partial, synced,
/// then renamed into place. Throws StoreError (SQLite failed) or std::runtime_error (`dest`
/// exists, a file operation failed); nothing is left at `dest` then.
BackupReport BackupDatabase(const std::string& source, const std::string& dest,
                            const BackupProgress& progress, int pages_per_step = 4096);

/// What a restore checks of a database file before it is put in place.
struct RestoreCheck {
  std::optional<std::string> problem;  // why it must not be restored; nullopt when fit
  int schema_version = 0;
  std::int64_t audit_records = 0;
  std::int64_t residents = 0;
};

/// PRAGMA integrity_check, the schema version (known to this program: not newer than it),
/// and the audit chain (store/audit.hpp). Opens `path` read-write: use it on a copy.
RestoreCheck CheckRestorable(const std::string& path);

/// The first sealed ID number in the database at `path`, if any: for checking a key fits.
std::optional<std::string> FirstSealedIdNumber(const std::string& path);

/// Copies `from` beside `db` (as `db`.restoring), checks the copy (CheckRestorable), and
/// renames it over `db`, after removing the old database's -wal and -shm files (applied to
/// the restored file they would corrupt it). `check` sees the checked copy's path and may
/// refuse by returning a reason. Returns the check; on a problem nothing is changed.
/// REQUIRES: no process has `db` open (stop the server first).
RestoreCheck RestoreDatabase(
    const std::string& from, const std::string& db,
    const std::function<std::optional<std::string>(const std::string& copy, const RestoreCheck&)>&
        check = {});

}  // namespace swabline::store
