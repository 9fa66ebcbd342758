#include "service/zone_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "service/clock.hpp"
#include "service/incidents.hpp"
#include "service/lab.hpp"
#include "service/rounds.hpp"
#include "service/status.hpp"
#include "service/zone_policy.hpp"
#include "store/outbox.hpp"
#include "store/zones.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr core::Micros kDay = 24 * test::kHour;

// A and B share 2号楼 1单元; C lives in 2号楼 2单元 (the same building); F in 3号楼.
const std::string kA = test::IdNumber(601), kB = test::IdNumber(602), kC = test::IdNumber(603),
                  kF = test::IdNumber(604);

struct ZoneWorld : test::LabWorld {
  core::Micros t0 = 0;  // when A's positive result arrives and the zones start
  int tubes = 0;
  int rounds = 1;

  ZoneWorld() {
    ImportOk(test::Csv({kA + ",甲,13800000001,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,",
                        kB + ",乙,13800000002,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,102,",
                        kC + ",丙,13800000003,朝阳区,和平街街道,小黄庄社区,2号楼,2单元,201,",
                        kF + ",戊,13800000004,朝阳区,和平街街道,小黄庄社区,3号楼,1单元,101,"}));
  }

  /// A new round over the community, which later samples go to.
  void NewRoundNow() {
    auto round = InTx([&](store::Tx& tx) {
      return CreateRound(tx, env, Actor::System(),
                         NewRound{"第" + std::to_string(++rounds) + "轮",
                                  {PlaceAt(test::kLabCommunity).id},
                                  1,
                                  {},
                                  {}});
    });
    ASSERT_TRUE(round.ok()) << round.error().detail;
    round_id = round->id;
  }

  /// A single tube of `person` in the current round, resulted now.
  void Sample(const std::string& person, const std::string& result) {
    const std::string barcode = "Z-" + std::to_string(100000 + ++tubes);
    InTx([&](store::Tx& tx) {
      auto tube = OpenTube(tx, env, recorder, {barcode, round_id, site_id, 1, {}, {}});
      ASSERT_TRUE(tube.ok()) << tube.error().detail;
      auto added = AddSample(tx, env, recorder, barcode, {person, {}, false, {}});
      ASSERT_TRUE(added.ok()) << added.error().detail;
    });
    UploadedResult row;
    row.tube = barcode;
    row.result = result;
    auto report = InTx([&](store::Tx& tx) { return UploadResults(tx, env, lab, {row}); });
    ASSERT_TRUE(report.ok()) << report.error().detail;
    ASSERT_TRUE(report->rejected.empty()) << report->rejected[0].detail;
  }

  /// A is positive at t0: 2号楼 1单元 sealed, 2号楼 controlled.
  void APositive() {
    t0 = clock.Now();
    Sample(kA, "positive");
  }

  /// An all-negative round over A's unit, sampled and resulted now.
  void NegativeRoundNow() {
    NewRoundNow();
    Sample(kB, "negative");
  }

  ZoneEvaluation Evaluate() {
    return InTx([&](store::Tx& tx) { return EvaluateZones(tx, env, "system"); });
  }

  std::int64_t Unit() { return PlaceAt(std::string(test::kLabCommunity) + "/2号楼/1单元").id; }
  std::int64_t Building() { return PlaceAt(std::string(test::kLabCommunity) + "/2号楼").id; }

  /// The active zones over `place`, as "level" or "level<-from".
  std::vector<std::string> Active(std::int64_t place) {
    std::vector<std::string> out;
    for (const store::ZoneRow& z : store::ListZoneRows(conn(), true, ""))
      if (z.place_id == place)
        out.push_back(z.level + (z.stepped_down_from ? "<-" + *z.stepped_down_from : ""));
    return out;
  }

  std::vector<core::Reason> Reasons(const std::string& person) {
    auto s = GetPersonStatus(conn(), env, Actor::System(), person);
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->status.reasons : std::vector<core::Reason>{};
  }

  std::vector<std::string> ReasonCodes(const std::string& person) {
    std::vector<std::string> out;
    for (const auto& r : Reasons(person)) out.push_back(r.code);
    return out;
  }
};

using Strings = std::vector<std::string>;

TEST(EvaluateZones, SealedStepsDownAfterSevenQuietDaysAndAnAllNegativeRoundOnDaySeven) {
  ZoneWorld w;
  w.APositive();
  EXPECT_EQ(w.Active(w.Unit()), Strings{"sealed"});
  EXPECT_EQ(w.Active(w.Building()), Strings{"controlled"});
  w.clock.Set(w.t0 + 6 * kDay + 2 * test::kHour);  // day 7
  w.NegativeRoundNow();
  EXPECT_TRUE(w.Evaluate().changed.size() == 1u);  // only the building's 3 days have run out
  EXPECT_EQ(w.Active(w.Unit()), Strings{"sealed"});
  EXPECT_TRUE(w.Active(w.Building()).empty());

  w.clock.Set(w.t0 + 7 * kDay + test::kHour);
  ZoneEvaluation e = w.Evaluate();
  ASSERT_EQ(e.changed.size(), 2u);
  EXPECT_EQ(e.changed[0].level, "sealed");
  EXPECT_TRUE(e.changed[0].lifted_at.has_value());
  EXPECT_EQ(e.changed[1].level, "controlled");
  EXPECT_EQ(e.changed[1].stepped_down_from, "sealed");
  EXPECT_EQ(e.changed[1].incident_id, e.changed[0].incident_id);
  EXPECT_EQ(w.Active(w.Unit()), Strings{"controlled<-sealed"});
  EXPECT_EQ(w.ReasonCodes(kB), Strings{"zone_controlled"});
  EXPECT_TRUE(w.ReasonCodes(kC).empty());

  // The changes are on the incident's timeline and in the outbox.
  auto incident = GetIncident(w.conn(), Actor::System(), *e.changed[0].incident_id);
  ASSERT_TRUE(incident.ok());
  auto events = incident->timeline;
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const TimelineEntry& t) {
    return t.event == "zone_lifted" &&
           t.detail.find("stepped down to controlled") != std::string::npos;
  }));
  int started = 0;
  for (const auto& row : store::OutboxRows(w.conn())) started += row.event == "zone_started";
  EXPECT_EQ(started, 3);  // unit sealed, building controlled, unit controlled
}

TEST(EvaluateZones, TheSteppedDownZoneLiftsThreeDaysLater) {
  ZoneWorld w;
  w.APositive();
  w.clock.Set(w.t0 + 6 * kDay + 2 * test::kHour);
  w.NegativeRoundNow();
  w.clock.Set(w.t0 + 7 * kDay + test::kHour);
  w.Evaluate();
  w.clock.Advance(3 * kDay - test::kHour);
  EXPECT_TRUE(w.Evaluate().changed.empty());
  w.clock.Advance(2 * test::kHour);
  ZoneEvaluation e = w.Evaluate();
  ASSERT_EQ(e.changed.size(), 1u);
  EXPECT_EQ(e.changed[0].stepped_down_from, "sealed");
  EXPECT_TRUE(e.changed[0].lifted_at.has_value());
  EXPECT_TRUE(w.Active(w.Unit()).empty());
  EXPECT_EQ(w.ReasonCodes(kB), Strings{});
}

TEST(EvaluateZones, KeepsTheZoneWhileAPositiveIsNewer) {
  ZoneWorld w;
  w.APositive();
  w.clock.Set(w.t0 + 4 * kDay);  // day 5: B is positive too
  w.NewRoundNow();
  w.Sample(kB, "positive");
  w.clock.Set(w.t0 + 6 * kDay + 2 * test::kHour);
  w.NewRoundNow();
  w.Sample(kA, "negative");
  w.clock.Set(w.t0 + 7 * kDay + test::kHour);
  w.Evaluate();
  EXPECT_EQ(w.Active(w.Unit()), (Strings{"sealed", "sealed"}));  // one per incident
  w.clock.Set(w.t0 + 10 * kDay + 2 * test::kHour);               // day 7 after B's positive
  w.NewRoundNow();
  w.Sample(kA, "negative");
  w.Sample(kB, "negative");
  w.clock.Set(w.t0 + 11 * kDay + test::kHour);
  w.Evaluate();
  EXPECT_EQ(w.Active(w.Unit()), (Strings{"controlled<-sealed", "controlled<-sealed"}));
}

TEST(EvaluateZones, AMissedRoundDelaysTheStepDown) {
  ZoneWorld w;
  w.APositive();
  w.clock.Set(w.t0 + 7 * kDay + test::kHour);
  w.Evaluate();
  EXPECT_EQ(w.Active(w.Unit()), Strings{"sealed"});
  w.clock.Set(w.t0 + 8 * kDay + 2 * test::kHour);  // day 9
  w.NewRoundNow();
  w.Sample(kB, "negative");
  w.Evaluate();
  EXPECT_EQ(w.Active(w.Unit()), Strings{"controlled<-sealed"});
}

TEST(EvaluateZones, ARoundWithAPendingOrPositiveSampleIsNotAllNegative) {
  ZoneWorld w;
  w.APositive();
  w.clock.Set(w.t0 + 6 * kDay + 2 * test::kHour);
  w.NewRoundNow();
  w.Sample(kB, "negative");
  w.InTx([&](store::Tx& tx) {  // A sampled, no result yet
    ASSERT_TRUE(
        OpenTube(tx, w.env, w.recorder, {"Z-PENDING", w.round_id, w.site_id, 1, {}, {}}).ok());
    ASSERT_TRUE(AddSample(tx, w.env, w.recorder, "Z-PENDING", {kA, {}, false, {}}).ok());
  });
  w.clock.Set(w.t0 + 7 * kDay + test::kHour);
  w.Evaluate();
  EXPECT_EQ(w.Active(w.Unit()), Strings{"sealed"});
}

TEST(EvaluateZones, TemporaryAndHandMadeZonesWithoutARuleStay) {
  ZoneWorld w;
  auto zone = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, Actor::System(), w.Unit(), "prevention", "drill");
  });
  ASSERT_TRUE(zone.ok());
  w.clock.Advance(400 * kDay);
  ZoneEvaluation e = w.Evaluate();
  EXPECT_EQ(e.evaluated, 1);
  EXPECT_TRUE(e.changed.empty());
}

TEST(EvaluateZonesNow, NeedsManageIncidentsAndAuditsWhatChanged) {
  ZoneWorld w;
  w.APositive();
  w.clock.Advance(3 * kDay + test::kHour);
  auto refused = w.InTx([&](store::Tx& tx) {
    return EvaluateZonesNow(tx, w.env, w.ActorAt(core::Role::kViewer, ""));
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  auto done = w.InTx([&](store::Tx& tx) {
    return EvaluateZonesNow(tx, w.env, w.ActorAt(core::Role::kCommunity, "", "officer"));
  });
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->changed.size(), 1u);  // the building's controlled zone
  EXPECT_EQ(w.Audit().back().action, "zones.evaluate");
  EXPECT_EQ(w.Audit().back().actor, "officer");
}

// --- The stored policy ---

core::Result<core::ZonePolicy> Save(ZoneWorld& w, const Actor& actor,
                                    std::vector<core::PolicyEntry> entries) {
  return w.InTx([&](store::Tx& tx) { return SaveZonePolicy(tx, w.env, actor, entries); });
}

TEST(ZonePolicyStore, IsTheDefaultUntilAnAdminSavesOne) {
  ZoneWorld w;
  EXPECT_EQ(LoadZonePolicy(w.conn()), core::DefaultZonePolicy());
  auto saved =
      Save(w, Actor::System(),
           {{"positive.unit", std::string("sealed")}, {"retest_due_hours", std::int64_t{12}}});
  ASSERT_TRUE(saved.ok()) << saved.error().detail;
  EXPECT_EQ(LoadZonePolicy(w.conn()), *saved);
  EXPECT_EQ(saved->retest_due_hours, 12);
  EXPECT_TRUE(saved->lift.empty());
  EXPECT_EQ(w.Audit().back().action, "setting.change");
  EXPECT_EQ(w.Audit().back().entity_id, "zone_policy");
}

TEST(ZonePolicyStore, RefusesNonAdminsAndBadPoliciesNamingThePath) {
  ZoneWorld w;
  auto forbidden = Save(w, w.ActorAt(core::Role::kCommand, ""), {});
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbidden);
  auto bad = Save(w, Actor::System(), {{"lift.sealed.then_days", std::int64_t{2}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  EXPECT_TRUE(bad.error().detail.starts_with("lift.sealed")) << bad.error().detail;
  EXPECT_EQ(LoadZonePolicy(w.conn()), core::DefaultZonePolicy());
  auto read = GetZonePolicy(w.conn(), w.ActorAt(core::Role::kCourier, ""));
  EXPECT_FALSE(read.ok());
}

TEST(ZonePolicyStore, WhatTheNextPositiveDoesFollowsTheStoredPolicy) {
  ZoneWorld w;
  ASSERT_TRUE(Save(w, Actor::System(), {{"positive.building", std::string("sealed")}}).ok());
  w.APositive();
  EXPECT_TRUE(w.Active(w.Unit()).empty());
  EXPECT_EQ(w.Active(w.Building()), Strings{"sealed"});
  EXPECT_EQ(w.ReasonCodes(kC), Strings{"zone_sealed"});
}

TEST(ZonePolicyStore, RetestTasksAreDueAfterThePolicysHours) {
  ZoneWorld w;
  ASSERT_TRUE(Save(w, Actor::System(), {{"retest_due_hours", std::int64_t{6}}}).ok());
  const std::string barcode = "Z-POOL01";
  w.InTx([&](store::Tx& tx) {
    ASSERT_TRUE(OpenTube(tx, w.env, w.recorder, {barcode, w.round_id, w.site_id, 5, {}, {}}).ok());
    ASSERT_TRUE(AddSample(tx, w.env, w.recorder, barcode, {kA, {}, false, {}}).ok());
    ASSERT_TRUE(AddSample(tx, w.env, w.recorder, barcode, {kF, {}, false, {}}).ok());
    ASSERT_TRUE(SealTube(tx, w.env, w.recorder, barcode).ok());
  });
  UploadedResult row;
  row.tube = barcode;
  row.result = "positive";
  ASSERT_TRUE(w.InTx([&](store::Tx& tx) { return UploadResults(tx, w.env, w.lab, {row}); }).ok());
  auto tasks = ListTasks(w.conn(), w.env, Actor::System(), {}, false, {});
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 2u);
  for (const Task& t : *tasks) EXPECT_EQ(t.due_at, w.clock.Now() + 6 * test::kHour);
}

TEST(ZonePolicyStore, StatusReasonsSayHowZonesLiftInThePolicysDays) {
  ZoneWorld w;
  w.APositive();
  auto reasons = w.Reasons(kB);  // the building's zone first, then the unit's
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[1].code, "zone_sealed");
  EXPECT_EQ(reasons[1].detail,
            "you live in a sealed zone: stay at home; it is lifted after 7 days without a new "
            "positive and an all-negative round on day 7, then controlled for 3 days");
  EXPECT_EQ(reasons[0].code, "zone_controlled");
  EXPECT_NE(reasons[0].detail.find("after 3 days without a new positive"), std::string::npos);
  ASSERT_TRUE(Save(w, Actor::System(),
                   {{"lift.sealed.days_without_positive", std::int64_t{14}},
                    {"lift.controlled.days_without_positive", std::int64_t{5}}})
                  .ok());
  reasons = w.Reasons(kB);
  EXPECT_NE(reasons[1].detail.find("after 14 days without a new positive"), std::string::npos);
  EXPECT_EQ(reasons[1].detail.find("all-negative"), std::string::npos);
  EXPECT_NE(reasons[0].detail.find("after 5 days"), std::string::npos);
}

}  // namespace
}  // namespace swabline::service
