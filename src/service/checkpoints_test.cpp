#include "service/checkpoints.hpp"

#include <gtest/gtest.h>

#include "service/zones.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::string_view kHome = "朝阳区/和平街街道/小黄庄社区";
constexpr core::Micros kDay = 24 * test::kHour;

/// Two communities: 甲 and 乙 live in 小黄庄社区 (1号楼 and 2号楼), 丙 in 樱花园社区; a checkpoint
/// at 小黄庄社区's gate, with a guard scoped to it.
struct GateWorld : test::World {
  std::string jia = test::IdNumber(1), yi = test::IdNumber(2), bing = test::IdNumber(3);
  Actor community = ActorAt(core::Role::kCommunity, "");
  Actor guard;
  std::int64_t gate = 0;

  GateWorld() {
    ImportOk(test::Csv({jia + ",甲,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
                        yi + ",乙,,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,",
                        bing + ",丙,,朝阳区,和平街街道,樱花园社区,1号楼,1单元,101,"}));
    guard = ActorAt(core::Role::kGuard, kHome, "guard1");
    auto c = InTx([&](store::Tx& tx) {
      return CreateCheckpoint(tx, env, community, "南门", PlaceAt(kHome).id);
    });
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    gate = c.ok() ? c->id : 0;
  }

  void Zone(std::string_view path, const char* level) {
    auto z = InTx([&](store::Tx& tx) {
      return CreateZone(tx, env, Actor::System(), PlaceAt(path).id, level, "test");
    });
    ASSERT_TRUE(z.ok()) << z.error().detail;
  }

  core::Result<GateScan> Scan(const std::string& person, const char* direction = "in") {
    return InTx(
        [&](store::Tx& tx) { return ScanAtCheckpoint(tx, env, guard, gate, person, direction); });
  }

  static std::string FirstCode(const GateScan& s) {
    return s.reasons.empty() ? "" : s.reasons.front().code;
  }
};

TEST(ScanAtCheckpoint, LetsEveryoneInWhereNoZoneIsInForce) {
  GateWorld w;
  auto outsider = w.Scan(w.bing);
  ASSERT_TRUE(outsider.ok()) << outsider.error().detail;
  EXPECT_TRUE(outsider->allowed);
  EXPECT_EQ(outsider->color, core::Color::kGreen);
  EXPECT_EQ(outsider->person.name, "丙");
}

TEST(ScanAtCheckpoint, RefusesAnOutsiderAtAControlledCompound) {
  GateWorld w;
  w.Zone(kHome, "controlled");
  auto outsider = w.Scan(w.bing);
  ASSERT_TRUE(outsider.ok());
  EXPECT_FALSE(outsider->allowed);
  EXPECT_EQ(GateWorld::FirstCode(*outsider), "gate_outsider_controlled");
  auto resident = w.Scan(w.jia);
  ASSERT_TRUE(resident.ok());
  EXPECT_TRUE(resident->allowed);
  EXPECT_EQ(resident->color, core::Color::kYellow);  // the zone's own reason comes with it
  EXPECT_EQ(GateWorld::FirstCode(*resident), "zone_controlled");
}

TEST(ScanAtCheckpoint, RefusesARedResidentInAndKeepsASealedHomeIn) {
  GateWorld w;
  w.Zone(std::string(kHome) + "/1号楼", "sealed");
  auto in = w.Scan(w.jia, "in");
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE(in->allowed);
  EXPECT_EQ(in->color, core::Color::kRed);
  EXPECT_EQ(GateWorld::FirstCode(*in), "gate_red");
  auto out = w.Scan(w.jia, "out");
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->allowed);
  EXPECT_EQ(GateWorld::FirstCode(*out), "gate_home_sealed");
  auto neighbour = w.Scan(w.yi, "out");  // 2号楼 is not sealed
  ASSERT_TRUE(neighbour.ok());
  EXPECT_TRUE(neighbour->allowed);
}

TEST(ScanAtCheckpoint, RefusesABadDirectionAnUnknownGateAndAGuardElsewhere) {
  GateWorld w;
  EXPECT_EQ(w.Scan(w.jia, "sideways").error().code, ErrorCode::kInvalidField);
  auto unknown =
      w.InTx([&](store::Tx& tx) { return ScanAtCheckpoint(tx, w.env, w.guard, 999, w.jia, "in"); });
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownCheckpoint);
  const Actor elsewhere = w.ActorAt(core::Role::kGuard, "朝阳区/和平街街道/樱花园社区", "guard2");
  auto forbidden = w.InTx(
      [&](store::Tx& tx) { return ScanAtCheckpoint(tx, w.env, elsewhere, w.gate, w.jia, "in"); });
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbidden);
  const Actor recorder = w.ActorAt(core::Role::kRecorder, "");
  EXPECT_EQ(ListGateScans(w.conn(), recorder, w.gate, 0, 0, 10).error().code,
            ErrorCode::kForbidden);
}

TEST(ListGateScans, ListsEveryScanNewestFirstSinceATime) {
  GateWorld w;
  ASSERT_TRUE(w.Scan(w.jia).ok());
  w.clock.Advance(test::kHour);
  const core::Micros later = w.clock.Now();
  ASSERT_TRUE(w.Scan(w.bing, "out").ok());
  auto all = ListGateScans(w.conn(), w.guard, w.gate, 0, 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->scans.size(), 2u);
  EXPECT_EQ(all->scans[0].person.name, "丙");
  EXPECT_EQ(all->scans[0].direction, core::GateDirection::kOut);
  auto since = ListGateScans(w.conn(), w.guard, w.gate, later, 0, 10);
  ASSERT_TRUE(since.ok());
  EXPECT_EQ(since->scans.size(), 1u);
  auto paged = ListGateScans(w.conn(), w.guard, w.gate, 0, 0, 1);
  ASSERT_TRUE(paged.ok());
  ASSERT_TRUE(paged->next_cursor.has_value());
  auto rest = ListGateScans(w.conn(), w.guard, w.gate, 0, *paged->next_cursor, 1);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->scans.at(0).person.name, "甲");
}

TEST(PurgeGateScans, DeletesScansOlderThanTheRetentionPeriod) {
  GateWorld w;
  ASSERT_TRUE(w.Scan(w.jia).ok());
  w.clock.Advance(10 * kDay);
  ASSERT_TRUE(w.Scan(w.yi).ok());
  w.clock.Advance(5 * kDay);  // 甲's scan is 15 days old, 乙's 5
  EXPECT_EQ(w.InTx([&](store::Tx& tx) { return PurgeGateScans(tx, w.env); }), 1);
  auto left = ListGateScans(w.conn(), w.guard, w.gate, 0, 0, 10);
  ASSERT_EQ(left->scans.size(), 1u);
  EXPECT_EQ(left->scans[0].person.name, "乙");
  // A shorter retention takes 乙's too.
  const Actor admin = w.ActorAt(core::Role::kAdmin, "");
  EXPECT_EQ(w.InTx([&](store::Tx& tx) { return PutCheckpointSettings(tx, w.env, w.guard, 3); })
                .error()
                .code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(
      w.InTx([&](store::Tx& tx) { return PutCheckpointSettings(tx, w.env, admin, 3); }).ok());
  EXPECT_EQ(w.InTx([&](store::Tx& tx) { return PurgeGateScans(tx, w.env); }), 1);
  EXPECT_EQ(GetCheckpointSettings(w.conn(), w.guard)->retention_days, 3);
}

}  // namespace
}  // namespace swabline::service
