#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

/// Every schema object as SQLite keeps it, one line each: what any migration path must end at.
std::vector<std::string> SchemaOf(Connection& db) {
  std::vector<std::string> out;
  auto q = db.Query("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
  while (q->Next() == Step::kRow)
    out.push_back(q->Str(0) + " " + q->Str(1) + " on " + q->Str(2) + ": " +
                  (q->IsNull(3) ? "(no sql)" : q->Str(3)));
  return out;
}

std::string IntegrityCheck(Connection& db) {
  auto q = db.Query("PRAGMA integrity_check");
  return q->Next() == Step::kRow ? q->Str(0) : "no answer";
}

/// A few rows in the tables of `version`, so that later migrations' backfills have work.
void FillVersion(Connection& db, int version) {
  if (version >= 1)
    db.Exec(
        "INSERT INTO places(id, kind, name, parent_id, path, id_path) VALUES (1, 'district', "
        "'D', NULL, 'D', '/1/'), (2, 'community', 'C', 1, 'D/C', '/1/2/'), (3, 'room', '101', "
        "2, 'D/C/101', '/1/2/3/');"
        "INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id, "
        "created_at, updated_at) VALUES (1, 'a', 'resident_id', x'01', x'01', 'm', 3, 0, 0), "
        "(2, 'b', 'resident_id', x'02', x'02', 'm', 2, 0, 0);");
  if (version >= 2)
    db.Exec(
        "INSERT INTO rounds(id, name, pool_size, created_at) VALUES (1, 'r', 10, 0);"
        "INSERT INTO sites(id, name, place_id, created_at) VALUES (1, 's', 2, 0);"
        "INSERT INTO tubes(barcode, round_id, site_id, capacity, count, status, result, "
        "opened_by, opened_at) VALUES ('T-1', 1, 1, 10, 2, 'resulted', 'positive', 'x', 0);"
        "INSERT INTO samples(tube_barcode, round_id, resident_id, screening, sampled_at, "
        "sampled_by) VALUES ('T-1', 1, 1, 1, 0, 'x'), ('T-1', 1, 2, 1, 0, 'x');"
        "INSERT INTO tube_results(tube_barcode, result, ct_orf1ab, recorded_at, recorded_by) "
        "VALUES ('T-1', 'positive', 24.5, 0, 'x');");
}

TEST(Migrate, FromEveryEarlierVersionEndsAtTheSchemaOfAFreshDatabase) {
  test::TestDb fresh;
  const std::vector<std::string> expected = SchemaOf(fresh.db());
  ASSERT_FALSE(expected.empty());
  for (int version = 1; version < LatestSchemaVersion(); ++version) {
    SCOPED_TRACE("migrated from version " + std::to_string(version));
    test::TestDb old(version);
    ASSERT_EQ(old.Count("SELECT MAX(version) FROM schema_version"), version);
    FillVersion(old.db(), version);

    EXPECT_EQ(Migrate(old.db()), LatestSchemaVersion());
    EXPECT_EQ(SchemaOf(old.db()), expected);
    EXPECT_EQ(IntegrityCheck(old.db()), "ok");
    Connection reopened(old.path(), OpenMode::kReadOnly);  // what a restart would load
    EXPECT_EQ(SchemaOf(reopened), expected);
  }
  EXPECT_EQ(IntegrityCheck(fresh.db()), "ok");
}

TEST(Migrate, V4RefusesACheckSpeltOtherwiseAndLeavesTheSchemaAsItWas) {
  test::TestDb t(3);
  // A hand-edited definition: equivalent, but not the text the migration rewrites.
  t.db().Exec(
      "PRAGMA writable_schema = ON;"
      "UPDATE sqlite_schema SET sql = replace(sql, '''unit'',''room''', '''unit'', ''room''') "
      "WHERE type = 'table' AND name = 'places';"
      "PRAGMA writable_schema = RESET;");
  const std::vector<std::string> before = SchemaOf(t.db());
  ASSERT_NE(before, SchemaOf(test::TestDb(3).db())) << "the edit took";

  try {
    Migrate(t.db());
    ADD_FAILURE() << "migration 4 ran over a CHECK it did not find";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'places'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(t.Count("SELECT MAX(version) FROM schema_version"), 3);
  Connection other(t.path(), OpenMode::kReadOnly);
  EXPECT_EQ(SchemaOf(other), before) << "the tubes' rewrite, made first, is rolled back too";
  EXPECT_EQ(SchemaOf(t.db()), before);
  EXPECT_EQ(IntegrityCheck(t.db()), "ok");
}

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

TEST(Migrate, SpellsTheTubeChecksWithoutInListsAndTheyStillRefuse) {
  test::TestDb t;
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('tubes', 'tube_results') "
                    "AND sql LIKE '%CHECK (status = ''open'' OR%'"),
            1);
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('tubes', 'tube_results') "
                    "AND sql LIKE '%CHECK (result = ''negative'' OR%'"),
            2);
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('tubes', 'tube_results') "
                    "AND (sql LIKE '%status IN%' OR sql LIKE '%result IN%')"),
            0);
  // No temporary b-tree per row any more (EXPLAIN lists the program's opcodes).
  int ephemeral = 0;
  auto explain = t.db().Query(
      "EXPLAIN UPDATE tubes SET status = 'sealed', result = 'negative' WHERE rowid = 1");
  while (explain->Next() == Step::kRow) ephemeral += explain->Text(1) == "OpenEphemeral";
  EXPECT_EQ(ephemeral, 0);

  t.db().Exec(
      "INSERT INTO places(kind, name, path, id_path) VALUES ('district', 'A', 'A', '/1/');"
      "INSERT INTO rounds(name, pool_size, created_at) VALUES ('r', 10, 0);"
      "INSERT INTO sites(name, place_id, created_at) VALUES ('s', 1, 0);"
      "INSERT INTO tubes(barcode, round_id, site_id, capacity, opened_by, opened_at) "
      "VALUES ('T-000001', 1, 1, 10, 'x', 0);");
  EXPECT_THROW(t.db().Exec("UPDATE tubes SET status = 'lost'"), StoreError);
  EXPECT_THROW(t.db().Exec("UPDATE tubes SET result = 'maybe'"), StoreError);
  EXPECT_THROW(t.db().Exec("INSERT INTO tube_results(tube_barcode, result, recorded_at, "
                           "recorded_by) VALUES ('T-000001', 'maybe', 0, 'x')"),
               StoreError);
  for (const char* status : {"open", "sealed", "in_box", "in_transit", "received"})
    t.db().Exec("UPDATE tubes SET status = '" + std::string(status) + "'");
  t.db().Exec("UPDATE tubes SET result = NULL, status = 'resulted'");
  t.db().Exec(
      "INSERT INTO tube_results(tube_barcode, result, recorded_at, recorded_by) VALUES "
      "('T-000001', 'negative', 0, 'x'), ('T-000001', 'positive', 0, 'x'), "
      "('T-000001', 'invalid', 0, 'x')");
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM tube_results"), 3);
  // The places' kind too: every place created pays its CHECK.
  EXPECT_EQ(
      t.Count("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'places' AND sql LIKE '%kind IN%'"),
      0);
  EXPECT_THROW(
      t.db().Exec("INSERT INTO places(kind, name, path, id_path) VALUES ('town', 'B', 'B', '/2/')"),
      StoreError);
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
