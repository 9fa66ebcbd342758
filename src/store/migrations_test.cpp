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

TEST(Migrate, V3RefusesChangesTheCoverageTalliesCannotFollow) {
  test::TestDb t;
  t.db().Exec(
      "INSERT INTO places(id, kind, name, parent_id, path, id_path) VALUES (1, 'district', 'D', "
      "NULL, 'D', '/1/'), (2, 'street', 'S', 1, 'D/S', '/1/2/'), (3, 'community', 'C', 2, "
      "'D/S/C', '/1/2/3/');"
      "INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id, "
      "created_at, updated_at) VALUES (1, 'a', 'resident_id', x'01', x'01', 'm', 3, 0, 0);"
      "INSERT INTO rounds(id, name, pool_size, created_at) VALUES (1, 'r', 10, 0), (2, 'q', 10, 0);"
      "INSERT INTO sites(id, name, place_id, created_at) VALUES (1, 's', 3, 0);"
      "INSERT INTO tubes(barcode, round_id, site_id, capacity, opened_by, opened_at) VALUES "
      "('T-1', 1, 1, 10, 'x', 0);"
      "INSERT INTO samples(id, tube_barcode, round_id, resident_id, screening, sampled_at, "
      "sampled_by, voided_at) VALUES (1, 'T-1', 1, 1, 1, 0, 'x', 5);");

  EXPECT_THROW(t.db().Exec("UPDATE samples SET voided_at = NULL WHERE id = 1"), StoreError);
  EXPECT_THROW(t.db().Exec("UPDATE samples SET round_id = 2 WHERE id = 1"), StoreError);
  EXPECT_THROW(t.db().Exec("DELETE FROM samples WHERE id = 1"), StoreError);
  EXPECT_THROW(t.db().Exec("UPDATE tubes SET round_id = 2"), StoreError);
  EXPECT_THROW(t.db().Exec("UPDATE places SET parent_id = 1 WHERE id = 3"), StoreError);
  EXPECT_THROW(t.db().Exec("UPDATE places SET kind = 'building' WHERE id = 3"), StoreError);
  t.db().Exec("UPDATE samples SET void_reason = 'why' WHERE id = 1");  // the rest may change
}

}  // namespace
}  // namespace swabline::store
