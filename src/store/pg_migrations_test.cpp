#include "store/pg_migrations.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "store/migrations.hpp"

namespace swabline::store {
namespace {

// One PostgreSQL migration per SQLite schema version: a version added to kMigrations without
// its src/store/pg/NNNN.sql fails here (tests/pg/schema_test.sh checks what they hold).
TEST(PostgresMigrations, OnePerSqliteSchemaVersion) {
  EXPECT_EQ(PostgresMigrations().size(), static_cast<std::size_t>(LatestSchemaVersion()));
}

// Entry i is version i + 1: each file opens by naming its version.
TEST(PostgresMigrations, InVersionOrder) {
  const auto migrations = PostgresMigrations();
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const std::string head = "-- Schema version " + std::to_string(i + 1) + " for PostgreSQL 15";
    EXPECT_EQ(migrations[i].substr(0, head.size()), head) << "entry " << i;
  }
  EXPECT_NE(migrations.front().find("CREATE TABLE places ("), std::string_view::npos);
  EXPECT_NE(migrations.back().find("ADD COLUMN code_issued_at"), std::string_view::npos);
}

}  // namespace
}  // namespace swabline::store
