#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include "store/sqlite.hpp"
#include "store/test_support.hpp"

namespace swabline::store {
namespace {

TEST(Migrate, BringsAFreshDatabaseToTheLatestVersion) {
  test::TempDir dir;
  Connection db(dir.File("fresh.db"), OpenMode::kReadWrite);

  EXPECT_EQ(Migrate(db), LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 1);

  auto q = db.Query(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
      "('places', 'residents', 'users', 'sessions', 'idempotency', 'audit')");
  ASSERT_EQ(q->Next(), Step::kRow);
  EXPECT_EQ(q->Int(0), 6);
}

TEST(Migrate, IsIdempotent) {
  test::TestDb t;  // migrated once already
  t.db().Exec("INSERT INTO places(kind, name, path, id_path) VALUES ('district', 'A', 'A', '/1/')");

  EXPECT_EQ(Migrate(t.db()), LatestSchemaVersion());
  EXPECT_EQ(Migrate(t.db()), LatestSchemaVersion());

  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(t.Count("SELECT MAX(version) FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM places"), 1) << "migrating again must keep the data";
}

TEST(Migrate, ReportsTheSameVersionToASecondConnection) {
  test::TestDb t;
  Connection other(t.path(), OpenMode::kReadWrite);
  EXPECT_EQ(Migrate(other), LatestSchemaVersion());
}

}  // namespace
}  // namespace swabline::store
