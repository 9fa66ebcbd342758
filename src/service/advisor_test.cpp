#include "service/advisor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "service/lab.hpp"
#include "service/zones.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

/// LabWorld's 64 people in 1号楼 1单元, and eight more in 2号楼, all in the round.
struct AdvisorWorld : test::LabWorld {
  AdvisorWorld() {
    std::string csv(test::kCsvHeader);
    for (int i = 0; i < 8; ++i)
      csv += test::IdNumber(700 + i) +
             ",邻居,13800000000,朝阳区,和平街街道,小黄庄社区,2号楼,1单元," +
             std::to_string(101 + i) + ",\n";
    ImportOk(csv);
  }

  std::int64_t Community() { return PlaceAt(test::kLabCommunity).id; }

  /// A full tube of `size` people not sampled before (it seals itself).
  void FullTube(const std::string& barcode, int size) {
    InTx([&](store::Tx& tx) {
      auto tube = OpenTube(tx, env, recorder, {barcode, round_id, site_id, size, {}, {}});
      ASSERT_TRUE(tube.ok()) << tube.error().detail;
      for (int i = 0; i < size; ++i) {
        auto added =
            AddSample(tx, env, recorder, barcode, {people.at(next_person++), {}, false, {}});
        ASSERT_TRUE(added.ok()) << added.error().detail;
      }
    });
  }

  /// A full tube of `size` people, resulted.
  void Pool(const std::string& barcode, int size, bool positive) {
    FullTube(barcode, size);
    Result(barcode, positive ? "positive" : "negative");
  }

  void SetAssay(double se, double sp, int max_pool_size) {
    auto put = InTx([&](store::Tx& tx) {
      return PutAssaySettings(tx, env, Actor::System(), se, sp, max_pool_size);
    });
    ASSERT_TRUE(put.ok()) << put.error().detail;
  }

  PoolingAdvisorView Advisor(std::optional<std::int64_t> place = std::nullopt) {
    auto v = GetPoolingAdvisor(conn(), Actor::System(), round_id, place ? place : Community());
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().detail);
    return v.ok() ? *v : PoolingAdvisorView{};
  }
};

TEST(PoolingAdvisor, WithoutResultedPoolsAnswersNoPrevalenceAndSaysWhy) {
  AdvisorWorld w;
  w.FullTube("P-000001", 10);  // sealed, no result yet
  PoolingAdvisorView v = w.Advisor();
  EXPECT_EQ(v.place_id, w.Community());
  EXPECT_TRUE(v.pools.empty());
  EXPECT_FALSE(v.prevalence.has_value());
  EXPECT_FALSE(v.next_round.has_value());
  EXPECT_EQ(v.reason, "no_resulted_pools");
  EXPECT_DOUBLE_EQ(v.assay.sensitivity, 0.95);
  EXPECT_DOUBLE_EQ(v.assay.specificity, 0.999);
  EXPECT_EQ(v.assay.max_pool_size, 20);
}

TEST(PoolingAdvisor, OnePoolSizeWithAPerfectAssayIsTheClosedForm) {
  AdvisorWorld w;
  w.SetAssay(1.0, 1.0, 20);
  w.Pool("P-000001", 10, true);
  for (const char* t : {"P-000002", "P-000003", "P-000004"}) w.Pool(t, 10, false);
  PoolingAdvisorView v = w.Advisor();
  ASSERT_EQ(v.pools.size(), 1u);
  EXPECT_EQ(v.pools[0].size, 10);
  EXPECT_EQ(v.pools[0].tubes, 4);
  EXPECT_EQ(v.pools[0].positive, 1);
  ASSERT_TRUE(v.prevalence.has_value());
  EXPECT_NEAR(v.prevalence->prevalence, 1 - std::pow(1 - 1.0 / 4, 1.0 / 10), 1e-12);
  EXPECT_LE(v.prevalence->lower, v.prevalence->prevalence);
  EXPECT_GE(v.prevalence->upper, v.prevalence->prevalence);
  EXPECT_EQ(v.prevalence->confidence, 0.95);
}

TEST(PoolingAdvisor, CombinesMixedSizesAndInvalidTubesSayNothing) {
  AdvisorWorld w;
  w.Pool("P-000001", 10, true);
  w.Pool("P-000002", 10, false);
  w.Pool("P-000003", 5, false);
  w.Pool("P-000004", 5, false);
  w.Pool("P-000005", 1, false);
  w.FullTube("P-000006", 5);
  w.Result("P-000006", "invalid");
  PoolingAdvisorView v = w.Advisor();
  ASSERT_EQ(v.pools.size(), 3u);
  EXPECT_EQ(v.pools[0].size, 1);
  EXPECT_EQ(v.pools[1].size, 5);
  EXPECT_EQ(v.pools[1].tubes, 2);
  EXPECT_EQ(v.pools[2].size, 10);
  EXPECT_EQ(v.pools[2].positive, 1);
  std::vector<core::PoolGroup> groups{{1, 1, 0}, {5, 2, 0}, {10, 2, 1}};
  auto expected = core::EstimatePrevalence(groups, core::Assay{});
  ASSERT_TRUE(v.prevalence.has_value());
  EXPECT_NEAR(v.prevalence->prevalence, expected->prevalence, 1e-12);
  EXPECT_NEAR(v.prevalence->upper, expected->upper, 1e-12);
}

TEST(PoolingAdvisor, PlansTheNextRoundAtTheSizeWithFewestTestsWithinTheLimit) {
  AdvisorWorld w;
  w.SetAssay(1.0, 1.0, 20);
  w.Pool("P-000001", 20, false);
  w.Pool("P-000002", 20, false);
  w.Pool("P-000003", 20, true);
  PoolingAdvisorView v = w.Advisor();
  ASSERT_TRUE(v.next_round.has_value());
  const NextRound& next = *v.next_round;
  EXPECT_EQ(next.people, 72);
  auto advice = core::AdvisePoolSize(v.prevalence->prevalence, 72, core::PerfectAssay());
  EXPECT_EQ(next.pool_size, advice->recommended_pool_size);
  ASSERT_EQ(next.options.size(), 4u);
  for (const NextRoundOption& o : next.options) {
    if (o.pool_size != next.pool_size) continue;
    EXPECT_EQ(o.tubes, next.tubes);
    EXPECT_DOUBLE_EQ(o.retests, next.retests);
    EXPECT_DOUBLE_EQ(next.kits, 72 + next.retests);
    EXPECT_NEAR(next.tests_per_person, (double(next.tubes) + next.retests) / 72, 1e-12);
  }
  w.SetAssay(1.0, 1.0, 5);
  PoolingAdvisorView limited = w.Advisor();
  ASSERT_EQ(limited.next_round->options.size(), 2u);  // 1 and 5
  EXPECT_EQ(limited.next_round->options[1].pool_size, 5);
  EXPECT_LE(limited.next_round->pool_size, 5);
}

TEST(PoolingAdvisor, CountsPeopleUnderASizingZoneAtItsSize) {
  AdvisorWorld w;
  w.Pool("P-000001", 10, false);
  w.Pool("P-000002", 10, false);
  auto zone = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, Actor::System(),
                      w.PlaceAt(std::string(test::kLabCommunity) + "/2号楼").id, "sealed",
                      "a case next door");
  });
  ASSERT_TRUE(zone.ok()) << zone.error().detail;
  PoolingAdvisorView v = w.Advisor();
  ASSERT_TRUE(v.next_round.has_value());
  const NextRound& next = *v.next_round;
  ASSERT_EQ(next.zoned.size(), 1u);
  EXPECT_EQ(next.zoned[0].pool_size, 1);  // sealed: single tubes
  EXPECT_EQ(next.zoned[0].people, 8);
  EXPECT_EQ(next.zoned[0].tubes, 8);
  auto free = core::AdvisePoolSize(v.prevalence->prevalence, 64, core::Assay{});
  EXPECT_EQ(next.pool_size, free->recommended_pool_size);
  const core::PoolSizeOption* chosen = nullptr;
  for (const auto& o : free->options)
    if (o.pool_size == next.pool_size) chosen = &o;
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(next.tubes, chosen->tubes + 8);
  EXPECT_NEAR(next.retests, chosen->retests, 1e-12);  // single tubes need no retest

  // A controlled zone over the whole community asks 10 of everyone; sealed 2号楼 still asks 1.
  auto wide = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, Actor::System(), w.Community(), "controlled", "cluster");
  });
  ASSERT_TRUE(wide.ok());
  PoolingAdvisorView all = w.Advisor();
  ASSERT_EQ(all.next_round->zoned.size(), 2u);
  EXPECT_EQ(all.next_round->zoned[0].pool_size, 1);
  EXPECT_EQ(all.next_round->zoned[0].people, 8);
  EXPECT_EQ(all.next_round->zoned[1].pool_size, 10);
  EXPECT_EQ(all.next_round->zoned[1].people, 64);
  EXPECT_EQ(all.next_round->tubes, 8 + 7);
}

TEST(PoolingAdvisor, RefusesUnknownRoundsAndPlacesAndPlacesOutOfScope) {
  AdvisorWorld w;
  EXPECT_EQ(GetPoolingAdvisor(w.conn(), Actor::System(), 999, w.Community()).error().code,
            ErrorCode::kUnknownRound);
  EXPECT_EQ(GetPoolingAdvisor(w.conn(), Actor::System(), w.round_id, 999).error().code,
            ErrorCode::kUnknownPlace);
  Actor elsewhere = w.ActorAt(core::Role::kCommunity, "朝阳区/和平街街道/小黄庄社区/2号楼");
  EXPECT_EQ(GetPoolingAdvisor(w.conn(), elsewhere, w.round_id, w.Community()).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(GetPoolingAdvisor(w.conn(), w.courier, w.round_id, w.Community()).error().code,
            ErrorCode::kForbidden);
  // Without a place_id, the actor's scope.
  auto scoped = GetPoolingAdvisor(w.conn(), elsewhere, w.round_id, std::nullopt);
  ASSERT_TRUE(scoped.ok());
  EXPECT_EQ(scoped->place_id, w.PlaceAt("朝阳区/和平街街道/小黄庄社区/2号楼").id);
}

TEST(AssaySettings, AreStoredByAnAdminOnlyAndChecked) {
  AdvisorWorld w;
  auto put = [&](const Actor& a, double se, double sp, int max) {
    return w.InTx([&](store::Tx& tx) { return PutAssaySettings(tx, w.env, a, se, sp, max); });
  };
  Actor admin = w.ActorAt(core::Role::kAdmin, "", "admin1");
  Actor command = w.ActorAt(core::Role::kCommand, "", "command1");
  EXPECT_EQ(put(command, 0.9, 0.99, 10).error().code, ErrorCode::kForbidden);
  auto field_of = [](const core::Error& e) {
    for (const auto& [k, v] : e.extras)
      if (k == "field") return v;
    return std::string();
  };
  EXPECT_EQ(field_of(put(admin, 1.2, 0.99, 10).error()), "sensitivity");
  EXPECT_EQ(field_of(put(admin, 0.9, 0, 10).error()), "specificity");
  EXPECT_EQ(field_of(put(admin, 0.5, 0.5, 10).error()), "specificity");
  EXPECT_EQ(field_of(put(admin, 0.9, 0.99, 0).error()), "max_pool_size");
  EXPECT_EQ(field_of(put(admin, 0.9, 0.99, 21).error()), "max_pool_size");
  auto before = GetAssaySettings(w.conn(), command);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->updated_at.has_value());
  auto stored = put(admin, 0.9, 0.995, 10);
  ASSERT_TRUE(stored.ok()) << stored.error().detail;
  auto after = GetAssaySettings(w.conn(), command);
  EXPECT_DOUBLE_EQ(after->sensitivity, 0.9);
  EXPECT_DOUBLE_EQ(after->specificity, 0.995);
  EXPECT_EQ(after->max_pool_size, 10);
  EXPECT_EQ(after->updated_by, "admin1");
  EXPECT_EQ(after->updated_at, test::kStart);
  EXPECT_EQ(w.Audit().back().action, "settings.assay");
  EXPECT_EQ(GetAssaySettings(w.conn(), w.courier).error().code, ErrorCode::kForbidden);
}

}  // namespace
}  // namespace swabline::service
