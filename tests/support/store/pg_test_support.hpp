#pragma once
/// For the PostgreSQL driver's own tests: a schema and an open connection to it.

#include <memory>
#include <string>

#include "store/connection.hpp"
#include "support/store/pg_schema.hpp"

namespace swabline::store::test {

class PgTestDb {
 public:
  PgTestDb() : db_(Open(OpenMode::kReadWrite)) {}
  ~PgTestDb() { db_.reset(); }  // before the schema is dropped
  PgTestDb(const PgTestDb&) = delete;
  PgTestDb& operator=(const PgTestDb&) = delete;

  std::string url() const { return schema_.url(); }
  std::unique_ptr<Connection> Open(OpenMode mode) const {
    return std::make_unique<Connection>(url(), mode);
  }
  Connection& db() { return *db_; }
  Connection& admin() { return schema_.admin(); }

 private:
  PgSchema schema_;
  std::unique_ptr<Connection> db_;
};

}  // namespace swabline::store::test
