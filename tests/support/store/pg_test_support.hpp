#pragma once
/// A schema of its own on the test cluster (SWABLINE_TEST_PG, set by ctest's `pg` fixture):
/// each test starts from nothing and leaves nothing behind.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "store/connection.hpp"

namespace swabline::store::test {

/// The test cluster's URL; the test fails (it does not skip) when there is none.
inline std::string PgUrl() {
  const char* url = std::getenv("SWABLINE_TEST_PG");
  if (!url || !*url) {
    ADD_FAILURE() << "SWABLINE_TEST_PG is not set: run through ctest (fixture `pg`)";
    return "postgresql:///nowhere?host=/nonexistent";
  }
  return url;
}

class PgTestDb {
 public:
  PgTestDb() : admin_(PgUrl(), OpenMode::kReadWrite) {
    static std::atomic<int> n{0};
    schema_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
    admin_.Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    admin_.Exec("CREATE SCHEMA " + schema_);
    db_ = Open(OpenMode::kReadWrite);
  }
  ~PgTestDb() {
    db_.reset();
    try {
      admin_.Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (const StoreError&) {
      // The cluster went away (a test that stops it): nothing left to drop.
    }
  }
  PgTestDb(const PgTestDb&) = delete;
  PgTestDb& operator=(const PgTestDb&) = delete;

  /// The URL of this schema: the cluster's, with the schema first on the search path.
  std::string url() const { return PgUrl() + "&options=-csearch_path%3D" + schema_; }
  std::unique_ptr<Connection> Open(OpenMode mode) const {
    return std::make_unique<Connection>(url(), mode);
  }
  Connection& db() { return *db_; }
  Connection& admin() { return admin_; }

 private:
  Connection admin_;
  std::string schema_;
  std::unique_ptr<Connection> db_;
};

}  // namespace swabline::store::test
