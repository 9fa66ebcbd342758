// The demo's community office: staff and volunteers on shift, a work group, and residents'
// requests waiting on the board (one assigned, one overdue, one from a controlled building).
#include "cli/demo_round.hpp"
#include "cli/demo_support.hpp"
#include "service/personal_code.hpp"
#include "service/requests.hpp"
#include "service/staff.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::cli {
namespace {

using demo::As;
using demo::kHour;
using demo::kMinute;
using demo::Must;

/// The first resident of the community's building with this name ("8号楼").
std::int64_t ResidentIn(store::Connection& db, std::int64_t community, const char* building) {
  for (const auto& b : store::ChildPlaces(db, community)) {
    if (b.name != building) continue;
    const auto who = store::ListResidentsUnder(db, b.id_path, "", 0, 1);
    if (!who.empty()) return who.front().id;
  }
  throw std::runtime_error(std::string("demo: nobody lives in ") + building);
}

/// A resident of the community whose own page has the most to show: one of the positive
/// pool's members with a negative retest (two results), else anyone with a negative result.
std::int64_t ResidentWithHistory(store::Connection& db, std::int64_t community) {
  auto q = db.Query(
      "SELECT s.resident_id FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode JOIN "
      "residents r ON r.id = s.resident_id JOIN places p ON p.id = r.place_id JOIN places c ON "
      "c.id = ?1 WHERE s.voided_at IS NULL AND t.result = 'negative' AND substr(p.id_path, 1, "
      "length(c.id_path)) = c.id_path ORDER BY t.purpose = 'retest' DESC, s.id LIMIT 1");
  q->Bind(1, community);
  if (q->Next() != store::Step::kRow)
    throw std::runtime_error("demo: nobody of the community has a negative result");
  return q->Int(0);
}

struct StaffSeed {
  const char* name;
  const char* kind;
  const char* organisation;
  const char* duty;
};

constexpr StaffSeed kStaff[] = {
    {"王建国", "cadre", "区发改委（下沉）", "采样点现场负责"},
    {"李晓雯", "volunteer", "街道志愿者服务队", "扫码登记"},
    {"陈浩", "volunteer", "街道志愿者服务队", "维持秩序"},
    {"赵丽", "community_worker", "小黄庄社区居委会", "上门采样引导"},
};

}  // namespace

DemoCommunitySummary SeedDemoCommunity(service::Runtime& rt, const DemoRoundSummary& round) {
  const core::Micros now = service::SystemClock().Now();
  demo::Clock clock(now - 4 * kHour);
  const service::Env env = rt.env_with(clock);
  const service::Actor office = As("community", core::Role::kCommunity);
  const std::int64_t place = round.outbreak_community_id;
  return rt.writer().RunSync([&](store::Tx& tx) {
    DemoCommunitySummary out;
    const auto group =
        Must(service::AddWorkGroup(tx, env, office, "小黄庄核酸工作组", place), "work group");
    for (const StaffSeed& s : kStaff) {
      const auto member = Must(
          service::AddStaff(tx, env, office,
                            {s.name, "13800138000", s.kind, s.organisation, std::nullopt, place}),
          "staff");
      Must(service::AddWorkGroupMember(tx, env, office, group.id, member.id), "member");
      Must(service::AddShift(tx, env, office,
                             {member.id, place, now - 2 * kHour, now + 4 * kHour, s.duty}),
           "shift");
      ++out.on_duty;
    }

    // A resident of the controlled 8号楼 asks with their own code; a food request is assigned;
    // a medical visit logged three hours ago is overdue (2 h allowed).
    clock.Set(now - 3 * kHour);
    const auto overdue = Must(
        service::SubmitRequest(tx, env, office, std::to_string(ResidentIn(tx.db(), place, "3号楼")),
                               "medical", "透析患者，需每周二、五去医院透析，请协调车辆"),
        "medical request");
    out.overdue_request_id = overdue.id;
    clock.Set(now - 2 * kHour);
    const auto food = Must(
        service::SubmitRequest(tx, env, office, std::to_string(ResidentIn(tx.db(), place, "5号楼")),
                               "food", "家中老人独居，米面油快吃完了"),
        "food request");
    clock.Set(now - 90 * kMinute);
    Must(service::AssignRequest(tx, env, office, food.id, "community"), "assign request");
    out.assigned_request_id = food.id;
    clock.Set(now - 40 * kMinute);
    const std::int64_t zoned = ResidentIn(tx.db(), place, "8号楼");
    const std::string code = Must(
        service::GetPersonalCode(tx.db(), env, service::Actor::System(), zoned), "personal code");
    const std::int64_t resident = Must(service::ResidentOfCode(tx.db(), env, code), "code");
    out.zoned_request_id = Must(service::SubmitOwnRequest(tx, env, resident, "medicine",
                                                          "降压药（硝苯地平）还剩两天的量"),
                                "medicine request")
                               .id;
    out.resident_code = Must(service::GetPersonalCode(tx.db(), env, service::Actor::System(),
                                                      ResidentWithHistory(tx.db(), place)),
                             "personal code");
    return out;
  });
}

}  // namespace swabline::cli
