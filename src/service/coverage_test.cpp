#include "service/coverage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/coverage_scan.hpp"
#include "store/migrations.hpp"
#include "store/places.hpp"
#include "store/rounds.hpp"
#include "support/service/coverage_test_support.hpp"

namespace swabline::service {
namespace {

using test::Town;
using test::World;

/// Where the kept counts and the recount are compared: every level, including places that
/// the second round covers whole, in part (a building, a unit) or not at all.
constexpr std::array<std::string_view, 8> kCheckedPlaces = {
    "朝阳区",
    "朝阳区/和平街街道",
    "朝阳区/安贞街道",
    "朝阳区/和平街街道/小黄庄社区",
    "朝阳区/和平街街道/樱花园社区",
    "朝阳区/安贞街道/安华里社区",
    "朝阳区/安贞街道/安华里社区/2号楼",
    "朝阳区/和平街街道/小黄庄社区/1号楼/1单元",
};

std::string Figures(const CoverageCounts& c) {
  return "expected " + std::to_string(c.expected) + ", sampled " + std::to_string(c.sampled) +
         ", resulted " + std::to_string(c.resulted) + ", positive " + std::to_string(c.positive);
}

/// The oracle: every resident under the place, one by one (store::ScanCoverage), kept when
/// their home lies under one of the round's places; the figures of each child by id_path.
std::map<std::int64_t, std::string> Recount(store::Connection& db, std::int64_t round_id,
                                            const core::Place& place) {
  const std::vector<std::string> round_places = store::RoundPlaceIdPaths(db, round_id);
  std::vector<std::pair<std::int64_t, std::string>> scopes = {{place.id, place.id_path}};
  for (const core::Place& c : store::ChildPlaces(db, place.id))
    scopes.emplace_back(c.id, c.id_path);
  std::map<std::int64_t, CoverageCounts> counts;
  for (const auto& [id, id_path] : scopes) counts[id];
  store::ScanCoverage(db, round_id, place.id_path, [&](const store::CoverageRow& row) {
    bool in_round = false;
    for (const std::string& rp : round_places) in_round |= core::InSubtree(row.home_id_path, rp);
    if (!in_round) return;
    for (const auto& [id, id_path] : scopes) {
      if (!core::InSubtree(row.home_id_path, id_path)) continue;
      CoverageCounts& c = counts[id];
      ++c.expected;
      c.sampled += row.sampled;
      c.resulted += row.resulted;
      c.positive += row.positive;
    }
  });
  std::map<std::int64_t, std::string> out;
  for (const auto& [id, c] : counts) out[id] = Figures(c);
  return out;
}

/// GetCoverage's figures for the place and its children, keyed by place id.
std::map<std::int64_t, std::string> Kept(World& w, std::int64_t round_id,
                                         const core::Place& place) {
  auto coverage = GetCoverage(w.conn(), Actor::System(), round_id, place.id);
  EXPECT_TRUE(coverage.ok()) << (coverage.ok() ? "" : coverage.error().detail);
  std::map<std::int64_t, std::string> out;
  if (!coverage.ok()) return out;
  out[coverage->total.place_id] = Figures(coverage->total);
  for (const CoverageCounts& c : coverage->children) out[c.place_id] = Figures(c);
  return out;
}

/// How many rows one query yields that the other does not, either way.
std::int64_t RowsDiffering(World& w, const std::string& kept, const std::string& recount) {
  return w.db.Count("SELECT COUNT(*) FROM (SELECT * FROM (" + kept + " EXCEPT " + recount +
                    ") a UNION ALL SELECT * FROM (" + recount + " EXCEPT " + kept + ") b) d");
}

/// The kept tables hold what they would if computed afresh (as migration v3's backfill does).
void ExpectTablesMatchRecount(World& w) {
  EXPECT_EQ(RowsDiffering(w, "SELECT tally_id, residents FROM tally_residents WHERE residents <> 0",
                          "SELECT p.tally_id, COUNT(*) FROM residents r JOIN places p ON p.id = "
                          "r.place_id GROUP BY p.tally_id"),
            0)
      << "tally_residents";
  EXPECT_EQ(RowsDiffering(w,
                          "SELECT round_id, tally_id, sampled, resulted, positive FROM "
                          "round_tallies WHERE sampled <> 0 OR resulted <> 0 OR positive <> 0",
                          "SELECT s.round_id, p.tally_id, COUNT(*), "
                          "SUM(CASE WHEN t.result IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN "
                          "t.result = 'positive' THEN 1 ELSE 0 END) FROM samples s "
                          "JOIN tubes t ON t.barcode = s.tube_barcode JOIN residents r ON r.id = "
                          "s.resident_id JOIN places p ON p.id = r.place_id WHERE s.voided_at IS "
                          "NULL GROUP BY s.round_id, p.tally_id"),
            0)
      << "round_tallies";
  EXPECT_EQ(RowsDiffering(w, "SELECT tube_barcode, tally_id, n FROM tube_tallies WHERE n <> 0",
                          "SELECT s.tube_barcode, p.tally_id, COUNT(*) FROM samples s JOIN "
                          "residents r ON r.id = s.resident_id JOIN places p ON p.id = "
                          "r.place_id WHERE s.voided_at IS NULL GROUP BY s.tube_barcode, "
                          "p.tally_id"),
            0)
      << "tube_tallies";
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM (SELECT round_id, resident_id FROM samples WHERE "
                       "voided_at IS NULL GROUP BY round_id, resident_id HAVING COUNT(*) > 1 "
                       "EXCEPT SELECT rr.round_id, rr.resident_id FROM round_repeaters rr JOIN "
                       "residents r ON r.id = rr.resident_id JOIN places p ON p.id = r.place_id "
                       "WHERE p.tally_id = rr.tally_id) d"),
            0)
      << "someone with two valid samples in a round is missing from round_repeaters at their "
         "tally place";
}

void ExpectKeptCountsMatchRecount(World& w, const Town& town) {
  ExpectTablesMatchRecount(w);
  for (std::int64_t round : town.rounds())
    for (std::string_view path : kCheckedPlaces) {
      const core::Place place = w.PlaceAt(path);
      EXPECT_EQ(Kept(w, round, place), Recount(w.conn(), round, place))
          << "round " << round << ", " << path;
    }
}

/// Residents with two or more valid samples in a round in tubes whose result passes `which`:
/// the ones the kept counts take back to one when read.
std::int64_t PeopleCountedTwice(World& w, std::string_view which = "t.result IS NOT NULL") {
  return w.db.Count(
      "SELECT COUNT(*) FROM (SELECT 1 FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode "
      "WHERE s.voided_at IS NULL AND " +
      std::string(which) + " GROUP BY s.round_id, s.resident_id HAVING COUNT(*) > 1) d");
}

struct CountedTwice {
  std::int64_t resulted = 0;
  std::int64_t positive = 0;
};

/// Runs `steps` random use cases, comparing after each; stops at the first difference.
void WalkAndCompare(World& w, Town& town, int steps, CountedTwice& most) {
  for (int i = 0; i < steps; ++i) {
    const std::string_view op = town.Step();
    SCOPED_TRACE("after step " + std::to_string(i) + ", a " + std::string(op));
    ExpectKeptCountsMatchRecount(w, town);
    most.resulted = std::max(most.resulted, PeopleCountedTwice(w));
    most.positive = std::max(most.positive, PeopleCountedTwice(w, "t.result = 'positive'"));
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(GetCoverage, CountsAPersonWithTwoPositiveSamplesInARoundOnce) {
  World w;
  const std::string first = test::IdNumber(1), second = test::IdNumber(2);
  w.ImportOk(test::Csv({first + ",甲,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
                        second + ",乙,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,102,"}));
  const core::Place community = w.PlaceAt("朝阳区/和平街街道/小黄庄社区");
  const Actor system = Actor::System();
  auto round = w.InTx([&](store::Tx& tx) {
    return CreateRound(tx, w.env, system, NewRound{"第1轮", {community.id}, 5, {}, {}});
  });
  auto site =
      w.InTx([&](store::Tx& tx) { return CreateSite(tx, w.env, system, "点", community.id); });
  ASSERT_TRUE(round.ok() && site.ok());
  auto positive_tube = [&](const std::string& barcode, std::vector<AddSampleInput> people) {
    w.InTx([&](store::Tx& tx) {
      ASSERT_TRUE(OpenTube(tx, w.env, system, {barcode, round->id, site->id, {}, {}, {}}).ok());
      for (const AddSampleInput& in : people)
        ASSERT_TRUE(AddSample(tx, w.env, system, barcode, in).ok());
      ASSERT_TRUE(SealTube(tx, w.env, system, barcode).ok());
      UploadedResult row;
      row.tube = barcode;
      row.result = "positive";
      ASSERT_TRUE(UploadResults(tx, w.env, system, {row}).ok());
    });
  };
  positive_tube("T-000001", {{first, {}, false, {}}, {second, {}, false, {}}});
  positive_tube("T-000002", {{first, {}, true, "样本污染"}});

  auto coverage = GetCoverage(w.conn(), system, round->id, community.id);
  ASSERT_TRUE(coverage.ok());
  EXPECT_EQ(Figures(coverage->total), "expected 2, sampled 2, resulted 2, positive 2");
  ASSERT_EQ(coverage->children.size(), 1u);
  EXPECT_EQ(Figures(coverage->children[0]), "expected 2, sampled 2, resulted 2, positive 2");
}

TEST(GetCoverage, KeptCountsMatchARecountAfterEveryUseCaseOfARandomWalk) {
  std::array<int, Town::kOpCount> done{};
  CountedTwice most;
  for (unsigned seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    World w;
    Town town(w, seed);
    town.Build(90);
    ExpectKeptCountsMatchRecount(w, town);
    WalkAndCompare(w, town, 300, most);
    if (HasFailure()) return;
    for (std::size_t op = 0; op < done.size(); ++op) done[op] += town.done()[op];
  }
  // The walks are deterministic: these say they reach every case the counts must follow.
  for (std::size_t op = 0; op < done.size(); ++op)
    EXPECT_GT(done[op], 0) << "the walks never managed a " << Town::kOpNames[op];
  EXPECT_GT(most.resulted, 0) << "nobody ever had two resulted samples in a round";
  EXPECT_GT(most.positive, 0) << "nobody ever had two positive samples in a round";
}

/// Names of the database's tables, indexes and triggers, with each table's columns.
std::set<std::string> SchemaOf(store::Connection& db) {
  std::set<std::string> out;
  std::vector<std::string> tables;
  auto q = db.Query("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  while (q->Next() == store::Step::kRow) {
    out.insert(q->Str(0) + " " + q->Str(1));
    if (q->Text(0) == "table") tables.push_back(q->Str(1));
  }
  for (const std::string& t : tables) {
    auto c = db.Query("SELECT name, type FROM pragma_table_info(?)");
    c->Bind(1, t);
    while (c->Next() == store::Step::kRow)
      out.insert("column " + t + "." + c->Str(0) + " " + c->Str(1));
  }
  return out;
}

/// Every place's tally place, as "id:tally_id" in id order.
std::string PlaceTallies(World& w) {
  std::string out;
  auto q = w.conn().Query("SELECT id, tally_id FROM places ORDER BY id");
  while (q->Next() == store::Step::kRow) out += q->Str(0) + ":" + q->Str(1) + " ";
  return out;
}

/// Each table's definition as SQLite keeps it, by name.
std::map<std::string, std::string> TableDefinitions(store::Connection& db) {
  std::map<std::string, std::string> out;
  auto q = db.Query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql NOT NULL");
  while (q->Next() == store::Step::kRow) out[q->Str(0)] = q->Str(1);
  return out;
}

/// Takes away everything schemas v3 and later added, leaving the data a v2 build would have
/// written (v3 changes no v2 row but for places.tally_id; v4 only the spelling of CHECKs,
/// given back here as v2 spelt them; v5 only new tables and incidents' columns): a database as
/// filled under v2. Fails the test unless the schema, table definitions included, then equals a
/// fresh v2 one.
void DowngradeToV2(World& w) {
  store::test::TestDb v2(2);
  const std::set<std::string> want = SchemaOf(v2.db());
  // Results name their upload (schema v10): that table goes with the rest, and the column with
  // tube_results' v2 definition below.
  w.conn().Exec("PRAGMA foreign_keys = OFF");
  for (std::string_view type : {"trigger", "index", "table"})
    for (const std::string& object : SchemaOf(w.conn()))
      if (object.starts_with(std::string(type) + " ") && !want.contains(object))
        w.conn().Exec("DROP " + object);
  w.conn().Exec("ALTER TABLE places DROP COLUMN tally_id");
  for (const char* column : {"parent_id", "note", "closed_reason"})
    w.conn().Exec(std::string("ALTER TABLE incidents DROP COLUMN ") + column);
  const auto v2_tables = TableDefinitions(v2.db());
  w.conn().Exec("PRAGMA writable_schema = ON");
  for (const auto& [name, sql] : v2_tables) {
    auto q = w.conn().Query("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?");
    q->Bind(1, sql).Bind(2, name).RunOrThrow();
  }
  w.conn().Exec("PRAGMA writable_schema = RESET");
  w.conn().Exec("DELETE FROM schema_version WHERE version > 2");
  w.conn().Exec("PRAGMA foreign_keys = ON");
  EXPECT_EQ(SchemaOf(w.conn()), want);
  EXPECT_EQ(TableDefinitions(w.conn()), v2_tables);
}

TEST(GetCoverage, CountsMatchARecountAfterMigratingADatabaseFilledUnderSchemaV2) {
  World w;
  Town town(w, 7);
  town.Build(90);
  for (int i = 0; i < 300; ++i) town.Step();
  ASSERT_GT(PeopleCountedTwice(w), 0) << "the walk should leave people counted twice to backfill";
  const std::string tallies_set_by_insert = PlaceTallies(w);
  DowngradeToV2(w);
  ASSERT_FALSE(HasFailure());

  ASSERT_EQ(store::Migrate(w.conn()), store::LatestSchemaVersion());
  EXPECT_EQ(PlaceTallies(w), tallies_set_by_insert) << "the backfill's tally places";
  ExpectKeptCountsMatchRecount(w, town);
  CountedTwice most;
  WalkAndCompare(w, town, 100, most);  // and the counts carry on from there
}

}  // namespace
}  // namespace swabline::service
