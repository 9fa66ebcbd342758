#include "service/incidents.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "service/lab.hpp"
#include "service/reports.hpp"
#include "service/status.hpp"
#include "service/zones.hpp"
#include "store/incidents.hpp"
#include "store/outbox.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

// Three members of one pool: A (elderly) and B in 2号楼 1单元, C in 2号楼 2单元; N, A's
// neighbour in 1单元, is not in it; F lives in another building.
const std::string kA = test::IdNumber(501), kB = test::IdNumber(502), kC = test::IdNumber(503),
                  kN = test::IdNumber(504), kF = test::IdNumber(505);

struct OutbreakWorld : test::LabWorld {
  Actor community = ActorAt(core::Role::kCommunity, "", "community1");

  OutbreakWorld() {
    ImportOk(test::Csv({kA + ",甲,13800000001,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,elderly",
                        kB + ",乙,13800000002,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,102,",
                        kC + ",丙,13800000003,朝阳区,和平街街道,小黄庄社区,2号楼,2单元,201,",
                        kN + ",丁,13800000004,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,103,",
                        kF + ",戊,13800000005,朝阳区,和平街街道,小黄庄社区,3号楼,1单元,101,"}));
  }

  /// A sealed tube holding `people`; a retest tube of `incident` when one is given.
  void TubeOf(const std::string& barcode, const std::vector<std::string>& people,
              std::optional<std::int64_t> incident = std::nullopt) {
    InTx([&](store::Tx& tx) {
      OpenTubeInput in{barcode, round_id, site_id, {}, {}, incident};
      if (incident) in.purpose = "retest";
      auto tube = OpenTube(tx, env, recorder, in);
      ASSERT_TRUE(tube.ok()) << tube.error().detail;
      for (const std::string& p : people) {
        auto added = AddSample(tx, env, recorder, barcode, {p, {}, false, {}});
        ASSERT_TRUE(added.ok()) << added.error().detail;
      }
      if (tube->tube.capacity > static_cast<int>(people.size())) {
        auto sealed = SealTube(tx, env, recorder, barcode);
        ASSERT_TRUE(sealed.ok()) << sealed.error().detail;
      }
    });
  }

  PersonStatusView Status(const std::string& person) {
    auto s = GetPersonStatus(conn(), env, Actor::System(), person);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : PersonStatusView{};
  }

  std::string Color(const std::string& person) {
    return std::string(core::ColorName(Status(person).status.color));
  }

  std::vector<std::string> Reasons(const std::string& person) {
    std::vector<std::string> out;
    for (const auto& r : Status(person).status.reasons) out.push_back(r.code);
    return out;
  }

  Incident Get(std::int64_t id) {
    auto i = GetIncident(conn(), Actor::System(), id);
    EXPECT_TRUE(i.ok());
    return i.ok() ? *i : Incident{};
  }

  std::vector<Incident> Incidents(std::optional<std::string> status = std::nullopt) {
    auto page = ListIncidents(conn(), Actor::System(), std::move(status), {}, 0, 100);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->incidents : std::vector<Incident>{};
  }

  std::int64_t UnitOf(std::string_view building, std::string_view unit) {
    return PlaceAt(std::string(test::kLabCommunity) + "/" + std::string(building) + "/" +
                   std::string(unit))
        .id;
  }

  /// The pool of A, B and C, positive; returns its incident.
  Incident PositivePool() {
    TubeOf("P-000001", {kA, kB, kC});
    Result("P-000001", "positive");
    auto all = Incidents();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? Incident{} : Get(all[0].id);
  }

  std::vector<std::string> OutboxEvents() {
    std::vector<std::string> out;
    for (const auto& row : store::OutboxRows(conn())) out.push_back(row.event);
    return out;
  }
};

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(OpenPoolIncident, APositivePoolOpensAnIncidentWithZonesTasksAndYellowNeighbours) {
  OutbreakWorld w;
  Incident incident = w.PositivePool();
  EXPECT_EQ(incident.kind, "pool_positive");
  EXPECT_EQ(incident.status, "open");
  EXPECT_EQ(incident.tube, "P-000001");
  ASSERT_EQ(incident.people.size(), 3u);
  ASSERT_EQ(incident.zones.size(), 2u);  // A and B share a unit
  for (const Zone& z : incident.zones) EXPECT_EQ(z.level, "temporary");
  EXPECT_EQ(incident.zones[0].place_id, w.UnitOf("2号楼", "1单元"));
  EXPECT_EQ(incident.zones[1].place_id, w.UnitOf("2号楼", "2单元"));
  EXPECT_EQ(incident.place_ids.size(), 2u);
  ASSERT_EQ(incident.tasks.size(), 3u);
  for (const Task& t : incident.tasks) {
    EXPECT_EQ(t.status, "open");
    EXPECT_EQ(t.door_to_door, t.person.id == w.ResidentIdOf(kA)) << t.person.name;
    EXPECT_EQ(t.due_at, test::kStart + 24 * test::kHour);
  }
  EXPECT_FALSE(incident.timeline.empty());
  EXPECT_EQ(incident.timeline[0].event, "opened");
  EXPECT_EQ(incident.timeline[0].actor, "lab1");

  EXPECT_EQ(w.Color(kA), "yellow");
  EXPECT_TRUE(Has(w.Reasons(kA), "pool_positive"));
  EXPECT_TRUE(Has(w.Reasons(kA), "zone_temporary"));
  EXPECT_EQ(w.Color(kN), "yellow");
  EXPECT_EQ(w.Reasons(kN), std::vector<std::string>{"zone_temporary"});
  EXPECT_EQ(w.Color(kF), "green");

  const auto events = w.OutboxEvents();
  EXPECT_EQ(std::count(events.begin(), events.end(), "status_yellow"), 3);
  EXPECT_EQ(std::count(events.begin(), events.end(), "zone_started"), 2);
  EXPECT_TRUE(Has(events, "retest_tasks"));
}

TEST(OpenPoolIncident, ItsTimelineNamesEachPersonZoneAndTaskAfterTheOpening) {
  OutbreakWorld w;
  const Incident incident = w.PositivePool();
  // One event is stored for the opening; the rest is read back from the rows it wrote.
  EXPECT_EQ(store::IncidentEvents(w.conn(), incident.id).size(), 1u);
  std::vector<std::string> lines;
  for (const TimelineEntry& e : incident.timeline) {
    EXPECT_EQ(e.at, incident.opened_at) << e.event;
    EXPECT_EQ(e.actor, "lab1") << e.event;
    lines.push_back(e.event + ": " + e.detail);
  }
  const auto person = [&](const std::string& id) { return std::to_string(w.ResidentIdOf(id)); };
  const auto unit = [&](std::string_view building, std::string_view u) {
    return std::to_string(w.UnitOf(building, u));
  };
  const auto task = [&](std::size_t i) { return std::to_string(incident.tasks.at(i).id); };
  std::vector<std::string> people = {person(kA), person(kB), person(kC)};
  std::sort(people.begin(), people.end(), [](const std::string& a, const std::string& b) {
    return std::stoll(a) < std::stoll(b);
  });
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "opened: pooled tube P-000001 is positive",
                       "person_added: person " + people[0],
                       "person_added: person " + people[1],
                       "person_added: person " + people[2],
                       "zone_started: temporary over place " + unit("2号楼", "1单元") +
                           ": pooled tube P-000001 is positive",
                       "zone_started: temporary over place " + unit("2号楼", "2单元") +
                           ": pooled tube P-000001 is positive",
                       "task_created: retest task " + task(0) + " for person " + person(kA) +
                           " (door to door)",
                       "task_created: retest task " + task(1) + " for person " + person(kB),
                       "task_created: retest task " + task(2) + " for person " + person(kC),
                   }));
}

TEST(OpenPoolIncident, ItsMessagesGoMemberByMemberThenToTheCommunity) {
  OutbreakWorld w;
  const Incident incident = w.PositivePool();
  const std::string payload = "{\"incident_id\":" + std::to_string(incident.id) + "}";
  const auto zone = [&](std::size_t i) {
    const Zone& z = incident.zones.at(i);
    return "zone_started place " + std::to_string(z.place_id) + R"( {"zone_id":)" +
           std::to_string(z.id) + R"(,"place_id":)" + std::to_string(z.place_id) +
           R"(,"level":"temporary","incident_id":)" + std::to_string(incident.id) + "}";
  };
  const auto yellow = [&](const std::string& id) {
    return "status_yellow resident " + std::to_string(w.ResidentIdOf(id)) + " " + payload;
  };
  std::vector<std::string> rows;
  for (const store::OutboxRow& r : store::OutboxRows(w.conn())) {
    EXPECT_EQ(r.created_at, incident.opened_at);
    rows.push_back(r.event + " " + r.recipient_kind + " " + r.recipient + " " + r.payload);
  }
  const std::string community = std::to_string(w.PlaceAt(test::kLabCommunity).id);
  EXPECT_EQ(rows, (std::vector<std::string>{zone(0), yellow(kA), yellow(kB), zone(1), yellow(kC),
                                            "retest_tasks place " + community + " " + payload}));
}

TEST(OpenPoolIncident, ANegativePoolOpensNothing) {
  OutbreakWorld w;
  w.TubeOf("P-000001", {kA, kB});
  w.Result("P-000001", "negative");
  EXPECT_TRUE(w.Incidents().empty());
  EXPECT_TRUE(w.OutboxEvents().empty());
}

TEST(RecordRetestResult, APositiveRetestEscalatesSealsTheUnitAndControlsTheBuilding) {
  OutbreakWorld w;
  const Incident pool = w.PositivePool();
  w.TubeOf("R-000001", {kA}, pool.id);
  w.Result("R-000001", "positive");

  const auto open = w.Incidents("open");
  ASSERT_EQ(open.size(), 2u);  // the pool incident stays open
  const Incident positive = w.Get(open[1].id);
  EXPECT_EQ(positive.kind, "positive");
  EXPECT_EQ(positive.parent_id, pool.id);
  ASSERT_EQ(positive.people.size(), 1u);
  EXPECT_EQ(positive.people[0].id, w.ResidentIdOf(kA));
  ASSERT_EQ(positive.zones.size(), 2u);
  EXPECT_EQ(positive.zones[0].level, "sealed");
  EXPECT_EQ(positive.zones[0].place_id, w.UnitOf("2号楼", "1单元"));
  EXPECT_EQ(positive.zones[1].level, "controlled");
  EXPECT_EQ(positive.zones[1].place_id, w.PlaceAt(std::string(test::kLabCommunity) + "/2号楼").id);

  EXPECT_EQ(w.Color(kA), "red");
  EXPECT_EQ(w.Color(kN), "red");  // sealed unit
  EXPECT_TRUE(Has(w.Reasons(kN), "zone_sealed"));
  EXPECT_EQ(w.Color(kC), "yellow");
  EXPECT_TRUE(Has(w.Reasons(kC), "zone_controlled"));
  EXPECT_EQ(w.Color(kF), "green");

  const Incident after = w.Get(pool.id);
  EXPECT_EQ(after.status, "open");
  EXPECT_EQ(after.tasks[0].status, "done");
  EXPECT_TRUE(std::any_of(after.timeline.begin(), after.timeline.end(),
                          [](const TimelineEntry& e) { return e.event == "escalated"; }));
  EXPECT_TRUE(Has(w.OutboxEvents(), "status_red"));
}

TEST(RecordRetestResult, AllNegativeRetestsCloseThePoolIncidentAndLiftItsZones) {
  OutbreakWorld w;
  const Incident pool = w.PositivePool();
  w.TubeOf("R-000001", {kA}, pool.id);
  w.TubeOf("R-000002", {kB}, pool.id);
  w.TubeOf("R-000003", {kC}, pool.id);
  w.Result("R-000001", "negative");
  w.Result("R-000002", "negative");
  EXPECT_EQ(w.Get(pool.id).status, "open");
  w.Result("R-000003", "negative");

  const Incident closed = w.Get(pool.id);
  EXPECT_EQ(closed.status, "closed");
  EXPECT_EQ(closed.closed_at, test::kStart);
  for (const Zone& z : closed.zones) EXPECT_TRUE(z.lifted_at.has_value());
  for (const Task& t : closed.tasks) EXPECT_EQ(t.status, "done");
  for (const std::string& p : {kA, kB, kC, kN}) EXPECT_EQ(w.Color(p), "green") << p;
  const auto events = w.OutboxEvents();
  EXPECT_EQ(std::count(events.begin(), events.end(), "zone_lifted"), 2);

  // A closed incident takes no more retests.
  auto tube = w.InTx([&](store::Tx& tx) {
    return OpenTube(tx, w.env, w.recorder,
                    {"R-000004", w.round_id, w.site_id, {}, "retest", pool.id});
  });
  ASSERT_FALSE(tube.ok());
  EXPECT_EQ(tube.error().code, ErrorCode::kIncidentClosed);
}

TEST(RecordRetestResult, ASingleTubePositiveOpensAPositiveIncident) {
  OutbreakWorld w;
  w.InTx([&](store::Tx& tx) {
    ASSERT_TRUE(
        OpenTube(tx, w.env, w.recorder, {"S-000001", w.round_id, w.site_id, 1, {}, {}}).ok());
    ASSERT_TRUE(AddSample(tx, w.env, w.recorder, "S-000001", {kF, {}, false, {}}).ok());
  });
  w.Result("S-000001", "positive");
  const auto all = w.Incidents();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kind, "positive");
  EXPECT_FALSE(all[0].parent_id.has_value());
  EXPECT_EQ(w.Color(kF), "red");
}

Incident Report(OutbreakWorld& w, const std::string& person) {
  auto incident = w.InTx([&](store::Tx& tx) {
    return ReportAntigenPositive(tx, w.env, w.recorder, person, "antigen_positive");
  });
  EXPECT_TRUE(incident.ok()) << incident.error().detail;
  return incident.ok() ? *incident : Incident{};
}

core::Result<Incident> Check(OutbreakWorld& w, std::int64_t id, const std::string& item,
                             const std::string& result) {
  return w.InTx(
      [&](store::Tx& tx) { return RecordChecklistItem(tx, w.env, w.community, id, item, result); });
}

TEST(RecordChecklistItem, AnAllNegativeChecklistClosesTheAntigenReport) {
  OutbreakWorld w;
  const Incident report = Report(w, kF);
  EXPECT_EQ(report.kind, "antigen_report");
  ASSERT_EQ(report.checklist.size(), 5u);
  ASSERT_EQ(report.zones.size(), 1u);
  EXPECT_EQ(report.zones[0].level, "temporary");
  EXPECT_EQ(w.Color(kF), "yellow");
  for (const char* item : {"nasal_swab", "throat_swab", "blood", "environment"})
    ASSERT_TRUE(Check(w, report.id, item, "negative").ok());
  EXPECT_EQ(w.Get(report.id).status, "open");
  auto last = Check(w, report.id, "antigen", "negative");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->status, "closed");
  EXPECT_TRUE(last->zones[0].lifted_at.has_value());
  EXPECT_EQ(w.Color(kF), "green");

  auto again = Check(w, report.id, "antigen", "negative");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kIncidentClosed);
}

TEST(RecordChecklistItem, APositiveItemEscalatesAndAnUnknownItemIsRefused) {
  OutbreakWorld w;
  const Incident report = Report(w, kF);
  auto bad = Check(w, report.id, "saliva", "negative");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  auto positive = Check(w, report.id, "blood", "positive");
  ASSERT_TRUE(positive.ok());
  EXPECT_EQ(positive->status, "open");
  const auto all = w.Incidents();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].kind, "positive");
  EXPECT_EQ(all[1].parent_id, report.id);
  EXPECT_EQ(w.Color(kF), "red");
}

TEST(ReportAntigenPositive, IsRefusedToALabUser) {
  OutbreakWorld w;
  auto r = w.InTx([&](store::Tx& tx) {
    return ReportAntigenPositive(tx, w.env, w.lab, kF, "antigen_positive");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(ReportOwnAntigenPositive, OpensTheirReportAsResidentOnceWhileItIsOpen) {
  OutbreakWorld w;
  const std::int64_t id = w.ResidentIdOf(kF);
  auto own = [&](const std::string& kind) {
    return w.InTx([&](store::Tx& tx) { return ReportOwnAntigenPositive(tx, w.env, id, kind); });
  };
  auto wrong = own("pcr_positive");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidField);
  auto first = own("antigen_positive");
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_TRUE(first->opened);
  EXPECT_EQ(first->incident.kind, "antigen_report");
  ASSERT_FALSE(first->incident.timeline.empty());
  EXPECT_EQ(first->incident.timeline[0].actor, kResidentReporter);
  EXPECT_EQ(w.Color(kF), "yellow");
  auto again = own("antigen_positive");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->opened);
  EXPECT_EQ(again->incident.id, first->incident.id);
  EXPECT_EQ(w.Incidents().size(), 1u);
  auto nobody = w.InTx([&](store::Tx& tx) {
    return ReportOwnAntigenPositive(tx, w.env, 999999, "antigen_positive");
  });
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(CloseIncident, ClosesByHandOnceAndLiftsTemporaryZones) {
  OutbreakWorld w;
  const Incident pool = w.PositivePool();
  auto close = [&](const std::string& reason) {
    return w.InTx(
        [&](store::Tx& tx) { return CloseIncident(tx, w.env, w.community, pool.id, reason); });
  };
  EXPECT_EQ(close("").error().code, ErrorCode::kReasonRequired);
  auto closed = close("false positive: lab error");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->closed_reason, "false positive: lab error");
  EXPECT_EQ(w.Reasons(kN), std::vector<std::string>{});
  EXPECT_EQ(close("again").error().code, ErrorCode::kIncidentClosed);
}

TEST(Zones, AManualZoneStartsLiftsAndCannotBeLiftedTwice) {
  OutbreakWorld w;
  const std::int64_t building = w.PlaceAt(std::string(test::kLabCommunity) + "/3号楼").id;
  auto zone = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, w.community, building, "controlled", "contact tracing");
  });
  ASSERT_TRUE(zone.ok()) << zone.error().detail;
  EXPECT_EQ(w.Color(kF), "yellow");
  EXPECT_TRUE(Has(w.Reasons(kF), "zone_controlled"));
  auto active = ListZones(w.conn(), w.community, true, building);
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 1u);

  auto lift = [&] {
    return w.InTx(
        [&](store::Tx& tx) { return LiftZoneByHand(tx, w.env, w.community, zone->id, "cleared"); });
  };
  auto lifted = lift();
  ASSERT_TRUE(lifted.ok());
  EXPECT_TRUE(lifted->lifted_at.has_value());
  EXPECT_EQ(w.Color(kF), "green");
  EXPECT_EQ(lift().error().code, ErrorCode::kZoneLifted);
  EXPECT_TRUE(ListZones(w.conn(), w.community, true, building)->empty());

  auto bad = w.InTx(
      [&](store::Tx& tx) { return CreateZone(tx, w.env, w.community, building, "lockdown", "x"); });
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  auto viewer = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, w.ActorAt(core::Role::kViewer, ""), building, "sealed", "x");
  });
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
}

TEST(OpenPoolIncident, SendsTheRetestDoorToDoorOnlyWhereTheHomeIsSealed) {
  OutbreakWorld w;
  // C's unit is sealed; B's unit has a zone too, but not a sealed one.
  for (auto [unit, level] : {std::pair{"2单元", "sealed"}, std::pair{"1单元", "controlled"}}) {
    // Copied: clang before 16 cannot capture a structured binding (the sanitizer build).
    auto zone = w.InTx([&, unit = unit, level = level](store::Tx& tx) {
      return CreateZone(tx, w.env, w.community, w.UnitOf("2号楼", unit), level, "drill");
    });
    ASSERT_TRUE(zone.ok()) << zone.error().detail;
  }
  const Incident pool = w.PositivePool();
  ASSERT_EQ(pool.tasks.size(), 3u);
  for (const Task& t : pool.tasks)  // A is elderly, C is sealed in, B is neither
    EXPECT_EQ(t.door_to_door, t.person.id != w.ResidentIdOf(kB)) << t.person.name;
}

TEST(Tasks, AreAssignedAndListedOverdue) {
  OutbreakWorld w;
  const Incident pool = w.PositivePool();
  auto assigned = w.InTx([&](store::Tx& tx) {
    return AssignTask(tx, w.env, w.community, pool.tasks[0].id, "team-2", std::nullopt);
  });
  ASSERT_TRUE(assigned.ok());
  EXPECT_EQ(assigned->assignee, "team-2");
  EXPECT_EQ(w.InTx([&](store::Tx& tx) {
               return AssignTask(tx, w.env, w.community, 9999, "x", std::nullopt);
             })
                .error()
                .code,
            ErrorCode::kUnknownTask);
  EXPECT_TRUE(ListTasks(w.conn(), w.env, w.community, "open", true, {})->empty());
  w.clock.Advance(25 * test::kHour);
  EXPECT_EQ(ListTasks(w.conn(), w.env, w.community, "open", true, {})->size(), 3u);
  const std::int64_t unit2 = w.UnitOf("2号楼", "2单元");
  EXPECT_EQ(ListTasks(w.conn(), w.env, w.community, {}, false, unit2)->size(), 1u);
}

TEST(ListIncidents, FiltersByStatusAndPlace) {
  OutbreakWorld w;
  w.PositivePool();
  Report(w, kF);
  EXPECT_EQ(w.Incidents("open").size(), 2u);
  EXPECT_TRUE(w.Incidents("closed").empty());
  const std::int64_t building3 = w.PlaceAt(std::string(test::kLabCommunity) + "/3号楼").id;
  auto under = ListIncidents(w.conn(), w.community, {}, building3, 0, 100);
  ASSERT_TRUE(under.ok());
  ASSERT_EQ(under->incidents.size(), 1u);
  EXPECT_EQ(under->incidents[0].kind, "antigen_report");
  auto paged = ListIncidents(w.conn(), w.community, {}, {}, 0, 1);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged->incidents.size(), 1u);
  EXPECT_TRUE(paged->next_cursor.has_value());
}

}  // namespace
}  // namespace swabline::service
