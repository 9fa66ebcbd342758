// What results set off and what people do to incidents (docs/outbreak.md). Everything here
// runs in the caller's transaction: an incident is never without its cause, nor a cause
// without its incident.
#include "service/incidents.hpp"

#include <algorithm>

#include "core/zone_policy.hpp"
#include "service/zone_policy.hpp"
#include "store/audit.hpp"
#include "store/incidents.hpp"
#include "store/outbox.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/tasks.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr core::Micros kHour = 3600LL * 1'000'000;

void Event(ChangeBy& by, std::int64_t incident, std::string event, std::string detail) {
  store::AppendIncidentEvent(by.tx, incident,
                             {by.now, std::move(event), std::move(detail), by.actor});
}

void TellResident(ChangeBy& by, std::string event, std::int64_t resident, std::int64_t incident) {
  store::AppendOutbox(by.tx, {std::move(event), "resident", std::to_string(resident),
                              "{\"incident_id\":" + std::to_string(incident) + "}", by.now});
}

/// The place's kind, read once per change (ChangeBy::place_kinds).
std::optional<core::PlaceKind> KindOf(ChangeBy& by, std::int64_t id) {
  if (auto hit = by.place_kinds.find(id); hit != by.place_kinds.end()) return hit->second;
  auto place = store::FindPlace(by.tx.db(), id);
  if (!place) return std::nullopt;
  by.place_kinds.emplace(id, place->kind);
  return place->kind;
}

/// The place of `kind` along the home's path; for a unit, the home itself when it lies in
/// none (a walk-in registered at a community, say).
std::optional<std::int64_t> PlaceOfKind(ChangeBy& by, const store::ResidentRow& r,
                                        core::PlaceKind kind) {
  for (std::int64_t id : core::IdsAlong(r.place_id_path))
    if (KindOf(by, id) == kind) return id;
  if (kind == core::PlaceKind::kUnit) return r.place_id;
  return std::nullopt;
}

void StartZonesFor(ChangeBy& by, const store::ResidentRow& r,
                   std::span<const core::ZoneEffect> effects, std::int64_t incident,
                   const std::string& reason) {
  for (const core::ZoneEffect& effect : effects)
    if (auto place = PlaceOfKind(by, r, effect.place))
      StartZone(by, *place, effect.level, incident, reason);
}

bool NeedsDoorToDoor(store::Connection& db, const store::ResidentRow& r) {
  if (r.tags.find(";elderly;") != std::string::npos ||
      r.tags.find(";bedridden;") != std::string::npos)
    return true;
  return store::HasActiveZoneOver(db, r.place_id_path, "sealed");
}

void AddRetestTask(ChangeBy& by, std::int64_t incident, const store::ResidentRow& r,
                   const core::ZonePolicy& policy) {
  store::TaskRow task;
  task.incident_id = incident;
  task.resident_id = r.id;
  task.door_to_door = NeedsDoorToDoor(by.tx.db(), r);
  task.due_at = by.now + policy.retest_due_hours * kHour;
  const std::int64_t id = store::InsertTask(by.tx, task, by.now);
  Event(by, incident, "task_created",
        "retest task " + std::to_string(id) + " for person " + std::to_string(r.id) +
            (task.door_to_door ? " (door to door)" : ""));
}

/// The community over the home, or the home: who is told of new retest tasks.
std::int64_t CommunityOf(ChangeBy& by, const store::ResidentRow& r) {
  return PlaceOfKind(by, r, core::PlaceKind::kCommunity).value_or(r.place_id);
}

}  // namespace

std::int64_t OpenPoolIncident(ChangeBy& by, const store::TubeRow& tube) {
  const core::ZonePolicy policy = LoadZonePolicy(by.tx.db());
  const std::int64_t id = store::InsertIncident(
      by.tx, store::NewIncident{"pool_positive", tube.barcode, tube.round_id, {}, {}}, by.now);
  Event(by, id, "opened", "pooled tube " + tube.barcode + " is positive");
  std::vector<std::int64_t> communities;
  for (const store::SampleRow& s : store::ValidSamplesInTube(by.tx.db(), tube.barcode)) {
    auto r = store::FindResident(by.tx.db(), s.resident_id);
    if (!r) continue;
    store::AddIncidentPerson(by.tx, id, r->id);
    Event(by, id, "person_added", "person " + std::to_string(r->id));
    StartZonesFor(by, *r, core::ZonesForPositivePool(policy), id,
                  "pooled tube " + tube.barcode + " is positive");
    AddRetestTask(by, id, *r, policy);
    TellResident(by, "status_yellow", r->id, id);
    const std::int64_t community = CommunityOf(by, *r);
    if (std::find(communities.begin(), communities.end(), community) == communities.end())
      communities.push_back(community);
  }
  for (std::int64_t community : communities)
    store::AppendOutbox(by.tx, {"retest_tasks", "place", std::to_string(community),
                                "{\"incident_id\":" + std::to_string(id) + "}", by.now});
  return id;
}

std::int64_t EscalatePositive(ChangeBy& by, std::int64_t resident_id,
                              std::optional<std::int64_t> parent, std::optional<std::string> tube) {
  const core::ZonePolicy policy = LoadZonePolicy(by.tx.db());
  const std::int64_t id = store::InsertIncident(
      by.tx, store::NewIncident{"positive", std::move(tube), {}, parent, {}}, by.now);
  store::AddIncidentPerson(by.tx, id, resident_id);
  Event(by, id, "opened",
        "person " + std::to_string(resident_id) + " is positive" +
            (parent ? " (from incident " + std::to_string(*parent) + ")" : ""));
  if (parent)
    Event(by, *parent, "escalated",
          "person " + std::to_string(resident_id) + " is positive: incident " + std::to_string(id));
  if (auto r = store::FindResident(by.tx.db(), resident_id))
    StartZonesFor(by, *r, core::ZonesForPositivePerson(policy), id,
                  "person " + std::to_string(resident_id) + " is positive");
  TellResident(by, "status_red", resident_id, id);
  return id;
}

void RecordRetestResult(ChangeBy& by, const store::TubeRow& tube, core::TubeResult result) {
  if (!tube.incident_id || result == core::TubeResult::kInvalid) return;
  const std::int64_t incident = *tube.incident_id;
  const std::string name(core::TubeResultName(result));
  for (const store::SampleRow& s : store::ValidSamplesInTube(by.tx.db(), tube.barcode)) {
    if (auto task = store::FindTaskOf(by.tx.db(), incident, s.resident_id)) {
      store::CompleteTask(by.tx, task->id, name, by.now);
      Event(
          by, incident, "task_done",
          "retest task " + std::to_string(task->id) + ": " + name + " (tube " + tube.barcode + ")");
    }
    if (result == core::TubeResult::kPositive)
      EscalatePositive(by, s.resident_id, incident, tube.barcode);
  }
  auto row = store::FindIncident(by.tx.db(), incident);
  if (!row || row->status != "open" || row->kind != "pool_positive") return;
  const auto tasks = store::TasksOfIncident(by.tx.db(), incident);
  const bool all_negative = !tasks.empty() && std::all_of(tasks.begin(), tasks.end(), [](auto& t) {
    return t.result == std::optional<std::string>("negative");
  });
  if (all_negative) CloseIncidentNow(by, incident, "every member's retest is negative");
}

void FollowUpResult(ChangeBy& by, std::string_view barcode, core::TubeResult result,
                    std::optional<std::int64_t> incident_id) {
  if (result != core::TubeResult::kPositive && !incident_id) return;
  auto tube = store::FindTube(by.tx.db(), barcode);
  if (!tube) return;
  if (tube->purpose == core::TubePurpose::kRetest) return RecordRetestResult(by, *tube, result);
  if (tube->capacity > 1) {
    OpenPoolIncident(by, *tube);
    return;
  }
  for (const store::SampleRow& s : store::ValidSamplesInTube(by.tx.db(), barcode))
    EscalatePositive(by, s.resident_id, std::nullopt, tube->barcode);
}

void CloseIncidentNow(ChangeBy& by, std::int64_t id, const std::string& reason) {
  store::CloseIncidentRow(by.tx, id, reason, by.now);
  for (const store::ZoneRow& zone : store::ZonesOfIncident(by.tx.db(), id))
    if (zone.level == "temporary" && !zone.lifted_at)
      LiftZone(by, zone, "incident " + std::to_string(id) + " closed");
  Event(by, id, "closed", reason);
}

core::Result<Incident> CloseIncident(store::Tx& tx, const Env& env, const Actor& actor,
                                     std::int64_t id, const std::string& reason) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  Incident incident;
  SWB_TRY_ASSIGN(incident, GetIncident(tx.db(), actor, id));
  if (reason.empty()) return core::Fail(ErrorCode::kReasonRequired, "say why it closes");
  if (incident.status == "closed")
    return core::Fail(ErrorCode::kIncidentClosed,
                      "incident " + std::to_string(id) + " is closed already");
  ChangeBy by{tx, env.clock.Now(), actor.username};
  CloseIncidentNow(by, id, reason);
  store::AppendAudit(tx, by.now,
                     {actor.username, "incident.close", "incident", std::to_string(id), reason});
  return IncidentOf(tx.db(), id, true);
}

}  // namespace swabline::service
