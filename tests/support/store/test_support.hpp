#pragma once
/// For tests only (store and service): a temporary directory that removes itself, and a
/// migrated database: an SQLite file inside one, or, when the suite runs on PostgreSQL
/// (SWABLINE_TEST_BACKEND=postgres, set by ctest for the `pg.` copies of the suites), a fresh
/// schema on the test cluster. Tests use a real database, never a mock.

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "store/connection.hpp"
#include "store/migrations.hpp"
#include "support/store/pg_schema.hpp"

namespace swabline::store::test {

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "swabline-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A database file migrated to the newest schema, and one read-write connection to it that
/// the test itself uses. Writers and reader pools may open more connections to `path()`.
class TestDb {
 public:
  TestDb() : TestDb(LatestSchemaVersion()) {}
  /// Migrated only up to `schema_version`: for tests of a later migration's backfill.
  explicit TestDb(int schema_version)
      : schema_(TestsRunOnPostgres() ? std::make_optional<PgSchema>() : std::nullopt),
        path_(schema_ ? schema_->url() : dir_.File("swabline.db")),
        db_(path_, OpenMode::kReadWrite) {
    MigrateTo(db_, schema_version);
  }

  Connection& db() { return db_; }
  /// What the store opens: the file's path, or the schema's URL on PostgreSQL.
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return dir_.File(name); }

  /// Runs `fn(Tx&)` in one transaction on the test's connection, as the Writer would for a
  /// batch of one: commits when fn returns, rolls back and rethrows when it throws.
  template <typename Fn>
  auto InTx(Fn&& fn) -> decltype(fn(std::declval<Tx&>())) {
    db_.Exec("BEGIN IMMEDIATE");
    Tx tx(db_);
    try {
      if constexpr (std::is_void_v<decltype(fn(tx))>) {
        fn(tx);
        db_.Exec("COMMIT");
      } else {
        auto result = fn(tx);
        db_.Exec("COMMIT");
        return result;
      }
    } catch (...) {
      db_.Exec("ROLLBACK");
      throw;
    }
  }

  /// The single integer a query like "SELECT COUNT(*) FROM …" yields.
  std::int64_t Count(std::string_view sql) {
    auto q = db_.Query(sql);
    if (q->Next() != Step::kRow) throw std::logic_error("no row from " + std::string(sql));
    return q->Int(0);
  }

 private:
  TempDir dir_;
  std::optional<PgSchema> schema_;  // dropped after every connection to it is closed
  std::string path_;
  Connection db_;
};

}  // namespace swabline::store::test
