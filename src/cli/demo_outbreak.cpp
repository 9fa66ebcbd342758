#include <algorithm>
#include <cstdio>

#include "cli/demo_round.hpp"
#include "cli/demo_support.hpp"
#include "service/incidents.hpp"
#include "service/lab.hpp"
#include "service/sampling.hpp"
#include "service/transport.hpp"
#include "service/zones.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::cli {
namespace {

using demo::As;
using demo::kHour;
using demo::kMinute;
using demo::Must;

constexpr int kRetestsDone = 4;
constexpr const char* kTeam = "上门核酸一组";

/// The building of the community with this name ("6号楼"); throws when there is none.
core::Place BuildingNamed(store::Connection& db, std::int64_t community, const char* name) {
  for (auto& b : store::ChildPlaces(db, community))
    if (b.name == name) return b;
  throw std::runtime_error(std::string("demo: no building ") + name);
}

class Outbreak {
 public:
  Outbreak(store::Tx& tx, const service::Env& env, demo::Clock& clock, const DemoRoundSummary& r)
      : tx_(tx), env_(env), clock_(clock), round_(r) {}

  /// The round's positive pool: tasks assigned, then retests sampled, shipped and resulted.
  void FollowPool(core::Micros now);
  /// An antigen report from 6号楼, two checklist items done.
  void AntigenReport(core::Micros now);
  /// 8号楼 under control, started by hand.
  void ZoneByHand(core::Micros now);

  DemoOutbreakSummary summary;

 private:
  store::Tx& tx_;
  const service::Env& env_;
  demo::Clock& clock_;
  const DemoRoundSummary& round_;
  const service::Actor community_ = As("community", core::Role::kCommunity);
  const service::Actor recorder_ = As("recorder", core::Role::kRecorder);
  const service::Actor courier_ = As("courier", core::Role::kCourier);
  const service::Actor lab_ = As("lab", core::Role::kLab);
};

void Outbreak::FollowPool(core::Micros now) {
  auto page = Must(
      service::ListIncidents(tx_.db(), community_, "open", round_.outbreak_community_id, 0, 100),
      "incidents");
  auto pool = std::find_if(page.incidents.begin(), page.incidents.end(), [&](const auto& i) {
    return i.kind == "pool_positive" && i.tube == round_.positive_tube;
  });
  if (pool == page.incidents.end()) throw std::runtime_error("demo: the pool has no incident");
  summary.pool_incident_id = pool->id;
  const auto incident = Must(service::GetIncident(tx_.db(), community_, pool->id), "incident");
  summary.retests = static_cast<int>(incident.tasks.size());

  // The door-to-door team takes the first half; the rest waits for an assignee.
  clock_.Set(now - 110 * kMinute);
  for (std::size_t i = 0; i < incident.tasks.size() / 2; ++i)
    Must(service::AssignTask(tx_, env_, community_, incident.tasks[i].id, kTeam, std::nullopt),
         "assign");

  clock_.Set(now - 100 * kMinute);
  std::vector<service::UploadedResult> results;
  Must(service::CreateBox(tx_, env_, courier_, "BOX-RT01"), "retest box");
  char barcode[32];
  for (int i = 0; i < kRetestsDone && i < summary.retests; ++i) {
    std::snprintf(barcode, sizeof barcode, "RT01-%04d", i + 1);
    service::OpenTubeInput in{barcode, round_.round_id, round_.outbreak_site_id,
                              1,       "retest",        pool->id};
    Must(service::OpenTube(tx_, env_, recorder_, in), "retest tube");
    Must(
        service::AddSample(
            tx_, env_, recorder_, barcode,
            {std::to_string(incident.tasks[static_cast<std::size_t>(i)].person.id), {}, false, {}}),
        "retest sample");
    Must(service::AddTubeToBox(tx_, env_, courier_, "BOX-RT01", barcode), "retest boxing");
    service::UploadedResult row;
    row.index = static_cast<std::size_t>(i);
    row.tube = barcode;
    row.result = "negative";
    results.push_back(row);
  }
  clock_.Set(now - 90 * kMinute);
  Must(service::DispatchBox(tx_, env_, courier_, "BOX-RT01"), "retest dispatch");
  clock_.Set(now - 50 * kMinute);
  const auto box = Must(service::GetBox(tx_.db(), lab_, "BOX-RT01"), "retest box");
  Must(service::ReceiveBox(tx_, env_, lab_, "BOX-RT01", box.tubes), "retest receipt");
  clock_.Set(now - 30 * kMinute);
  const auto report = Must(service::UploadResults(tx_, env_, lab_, results), "retest results");
  if (!report.rejected.empty())
    throw std::runtime_error("demo: a retest result was refused: " + report.rejected[0].detail);
  summary.retests_done = static_cast<int>(report.accepted);
}

void Outbreak::AntigenReport(core::Micros now) {
  const core::Place building = BuildingNamed(tx_.db(), round_.outbreak_community_id, "6号楼");
  const auto who = store::ListResidentsUnder(tx_.db(), building.id_path, "", 0, 1);
  if (who.empty()) throw std::runtime_error("demo: nobody lives in 6号楼");
  clock_.Set(now - 3 * kHour);
  const auto incident =
      Must(service::ReportAntigenPositive(tx_, env_, recorder_, std::to_string(who.front().id),
                                          "antigen_positive"),
           "antigen report");
  summary.antigen_incident_id = incident.id;
  clock_.Set(now - 150 * kMinute);
  Must(service::RecordChecklistItem(tx_, env_, community_, incident.id, "nasal_swab", "negative"),
       "checklist");
  clock_.Set(now - 140 * kMinute);
  Must(service::RecordChecklistItem(tx_, env_, community_, incident.id, "throat_swab", "negative"),
       "checklist");
  summary.checklist_done = 2;
}

void Outbreak::ZoneByHand(core::Micros now) {
  const core::Place building = BuildingNamed(tx_.db(), round_.outbreak_community_id, "8号楼");
  clock_.Set(now - 5 * kHour);
  Must(service::CreateZone(tx_, env_, As("command", core::Role::kCommand), building.id,
                           "controlled", "密接者居住楼栋，管控观察"),
       "zone");
  summary.zone_place = building.path;
}

}  // namespace

DemoOutbreakSummary SeedDemoOutbreak(service::Runtime& rt, const DemoRoundSummary& round) {
  const core::Micros now = service::SystemClock().Now();
  demo::Clock clock(now);
  const service::Env env = rt.env_with(clock);
  return rt.writer().RunSync([&](store::Tx& tx) {
    Outbreak outbreak(tx, env, clock, round);
    outbreak.ZoneByHand(now);
    outbreak.AntigenReport(now);
    outbreak.FollowPool(now);
    return outbreak.summary;
  });
}

}  // namespace swabline::cli
