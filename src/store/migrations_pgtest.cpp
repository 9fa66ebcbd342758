// The migration runner on PostgreSQL: the same versions as on SQLite, from src/store/pg/.
#include <gtest/gtest.h>

#include <thread>

#include "store/migrations.hpp"
#include "support/store/pg_test_support.hpp"

namespace swabline::store {
namespace {

std::int64_t Versions(Connection& db) {
  auto q = db.Query("SELECT COUNT(*) FROM schema_version");
  EXPECT_EQ(q->Next(), Step::kRow);
  return q->Int(0);
}

TEST(PostgresMigrations, BringAnEmptyDatabaseToTheLatestVersionOnce) {
  test::PgTestDb t;
  EXPECT_EQ(Migrate(t.db()), LatestSchemaVersion());
  EXPECT_EQ(Migrate(t.db()), LatestSchemaVersion()) << "a second run has nothing to do";
  EXPECT_EQ(Versions(t.db()), LatestSchemaVersion());
  // The schema is there and guarded: a tube result may not be edited.
  t.db().Exec("INSERT INTO places (kind, name, path, id_path) VALUES ('district', 'D', 'D', '1');");
  EXPECT_FALSE(t.db()
                   .Query("INSERT INTO places (kind, name, path, id_path) VALUES ('nowhere', "
                          "'X', 'X', '2')")
                   ->Run())
      << "the kind CHECK refuses";
}

TEST(PostgresMigrations, StopAtTheVersionAskedFor) {
  test::PgTestDb t;
  EXPECT_EQ(MigrateTo(t.db(), 3), 3);
  EXPECT_EQ(Versions(t.db()), 3);
  EXPECT_EQ(Migrate(t.db()), LatestSchemaVersion());
}

TEST(PostgresMigrations, ServersStartingTogetherMigrateOnce) {
  test::PgTestDb t;
  auto a = t.Open(OpenMode::kReadWrite);
  auto b = t.Open(OpenMode::kReadWrite);
  int va = 0, vb = 0;
  std::thread ta([&] { va = Migrate(*a); });
  std::thread tb([&] { vb = Migrate(*b); });
  ta.join();
  tb.join();
  EXPECT_EQ(va, LatestSchemaVersion());
  EXPECT_EQ(vb, LatestSchemaVersion());
  EXPECT_EQ(Versions(t.db()), LatestSchemaVersion());
}

}  // namespace
}  // namespace swabline::store
