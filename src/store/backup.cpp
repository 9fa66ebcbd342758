#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "store/audit.hpp"
#include "store/connection.hpp"
#include "store/migrations.hpp"

namespace swabline::store {
namespace {

namespace fs = std::filesystem;

/// fsync of a file or a directory: a rename is durable only once its directory is synced.
void Sync(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot sync " + path.string());
}

fs::path DirOf(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

void RemoveWithSidecars(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix);
}

/// The destination side of a backup: a fresh file, closed however the copy ends.
class Destination {
 public:
  explicit Destination(const std::string& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close(db_);
      throw StoreError(rc, "open " + path + " for the backup");
    }
  }
  ~Destination() { sqlite3_close(db_); }
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

/// Copies every page of `source` (inside its open read transaction) into `dest`.
void CopyPages(Connection& source, sqlite3* dest, const BackupProgress& progress,
               int pages_per_step, BackupReport& report) {
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", source.raw(), "main");
  if (!b) throw StoreError(sqlite3_errcode(dest), sqlite3_errmsg(dest));
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(b, pages_per_step);
    ++report.steps;
    const std::int64_t total = sqlite3_backup_pagecount(b);
    if (progress) progress(total - sqlite3_backup_remaining(b), total);
    report.pages = total;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw StoreError(rc, std::string("backup: ") + sqlite3_errstr(rc));
}

std::int64_t CountOf(Connection& db, const char* sql) {
  auto q = db.Query(sql);
  return q->Next() == Step::kRow ? q->Int(0) : 0;
}

}  // namespace

BackupReport BackupDatabase(const std::string& source, const std::string& dest,
                            const BackupProgress& progress, int pages_per_step) {
  if (fs::exists(dest)) throw std::runtime_error(dest + " exists; a backup never replaces a file");
  const std::string partial = dest + ".partial";
  RemoveWithSidecars(partial);
  BackupReport report;
  try {
    {
      Connection src(source, OpenMode::kReadOnly);
      // One read transaction over the whole copy: every step reads the same snapshot, and
      // commits made meanwhile (by the server's writer) are neither waited for nor copied.
      src.Exec("BEGIN");
      report.audit_records = CountOf(src, "SELECT COUNT(*) FROM audit");
      Destination dst(partial);
      CopyPages(src, dst.raw(), progress, pages_per_step, report);
      src.Exec("COMMIT");
    }
    report.bytes = static_cast<std::int64_t>(fs::file_size(partial));
    Sync(partial);
    fs::rename(partial, dest);
    Sync(DirOf(dest));
  } catch (...) {
    RemoveWithSidecars(partial);
    throw;
  }
  return report;
}

RestoreCheck CheckRestorable(const std::string& path) {
  RestoreCheck check;
  Connection db(path, OpenMode::kReadWrite);
  {
    auto q = db.Query("PRAGMA integrity_check");
    std::string first;
    if (q->Next() == Step::kRow) first = q->Str(0);
    if (first != "ok") {
      check.problem = "integrity_check failed: " + first;
      return check;
    }
  }
  {
    auto q = db.Query(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
    q->Next();
    if (q->Int(0) == 0) {
      check.problem = "it is not a Swabline database (no schema_version table)";
      return check;
    }
  }
  check.schema_version =
      static_cast<int>(CountOf(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  if (check.schema_version > LatestSchemaVersion()) {
    check.problem = "its schema version " + std::to_string(check.schema_version) +
                    " is newer than this program's (" + std::to_string(LatestSchemaVersion()) +
                    "); restore it with a newer swabline";
    return check;
  }
  const AuditVerdict audit = VerifyAudit(db);
  check.audit_records = audit.records;
  if (audit.broken_seq) {
    check.problem = "its audit chain is broken at record " + std::to_string(*audit.broken_seq) +
                    ": " + audit.reason;
    return check;
  }
  check.residents = CountOf(db, "SELECT COUNT(*) FROM residents");
  return check;
}

std::optional<std::string> FirstSealedIdNumber(const std::string& path) {
  Connection db(path, OpenMode::kReadOnly);
  auto q = db.Query("SELECT doc_cipher FROM residents ORDER BY id LIMIT 1");
  if (q->Next() != Step::kRow) return std::nullopt;
  return std::string(q->Blob(0));
}

RestoreCheck RestoreDatabase(
    const std::string& from, const std::string& db,
    const std::function<std::optional<std::string>(const std::string&, const RestoreCheck&)>&
        check) {
  const std::string copy = db + ".restoring";
  RemoveWithSidecars(copy);
  RestoreCheck result;
  try {
    fs::copy_file(from, copy, fs::copy_options::overwrite_existing);
    result = CheckRestorable(copy);  // its connection closes here: no -wal left beside it
    if (!result.problem && check) result.problem = check(copy, result);
    if (result.problem) {
      RemoveWithSidecars(copy);
      return result;
    }
    Sync(copy);
    // The old database's WAL would be replayed into the restored file: gone first.
    fs::remove(db + "-wal");
    fs::remove(db + "-shm");
    fs::rename(copy, db);
    Sync(DirOf(db));
  } catch (...) {
    RemoveWithSidecars(copy);
    throw;
  }
  return result;
}

}  // namespace swabline::store
