#pragma once
/// A schema of its own on the PostgreSQL test cluster (started by ctest's `pg` fixture,
/// scripts/pg-scratch): a test starts from nothing and leaves nothing behind.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace swabline::store::test {

/// SWABLINE_TEST_BACKEND=postgresql://…: the suite's databases are schemas on that cluster
/// (ctest's pg.service runs set it); unset, they are SQLite files.
inline const char* PostgresBackend() {
  const char* url = std::getenv("SWABLINE_TEST_BACKEND");
  return url && IsPostgresUrl(url) ? url : nullptr;
}
inline bool TestsRunOnPostgres() { return PostgresBackend() != nullptr; }

/// The test cluster's URL (SWABLINE_TEST_PG, or the backend's); the test fails (it does not
/// skip) when there is none.
inline std::string PgUrl() {
  if (const char* backend = PostgresBackend()) return backend;
  const char* url = std::getenv("SWABLINE_TEST_PG");
  if (!url || !*url) {
    ADD_FAILURE() << "SWABLINE_TEST_PG is not set: run through ctest (fixture `pg`)";
    return "postgresql:///nowhere?host=/nonexistent";
  }
  return url;
}

class PgSchema {
 public:
  PgSchema() : admin_(PgUrl(), OpenMode::kReadWrite) {
    static std::atomic<int> n{0};
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
    admin_.Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    admin_.Exec("CREATE SCHEMA " + name_);
  }
  ~PgSchema() {
    try {
      admin_.Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (const StoreError&) {
      // The cluster went away (a test that stops it): nothing left to drop.
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  /// The cluster's URL with this schema first on the search path.
  std::string url() const { return PgUrl() + "&options=-csearch_path%3D" + name_; }
  Connection& admin() { return admin_; }

 private:
  Connection admin_;
  std::string name_;
};

}  // namespace swabline::store::test
