// What results set off and what people do to incidents (docs/outbreak.md). Everything here
// runs in the caller's transaction: an incident is never without its cause, nor a cause
// without its incident.
#include "service/incidents.hpp"

#include <algorithm>
#include <span>

#include "core/zone_policy.hpp"
#include "service/live_events.hpp"
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

store::OutboxRow ResidentMessage(const ChangeBy& by, std::string event, std::int64_t resident,
                                 std::int64_t incident) {
  return {std::move(event), "resident", std::to_string(resident),
          "{\"incident_id\":" + std::to_string(incident) + "}", by.now};
}

void TellResident(ChangeBy& by, std::string event, std::int64_t resident, std::int64_t incident) {
  store::AppendOutbox(by.tx, ResidentMessage(by, std::move(event), resident, incident));
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

bool NeedsDoorToDoor(ChangeBy& by, const store::ResidentRow& r) {
  if (r.tags.find(";elderly;") != std::string::npos ||
      r.tags.find(";bedridden;") != std::string::npos)
    return true;
  return SealedOver(by, r.place_id_path);
}

/// The zones a new pool incident starts, in its members' order, and where each member's begin.
struct PoolZones {
  std::vector<store::ZoneRow> rows;
  std::vector<std::size_t> first_of_member;  // members + 1 entries
};

/// Starts the policy's zones over each member's places for the new incident (once per place
/// and level: it has none yet), many to a statement, with the incident's places. No timeline
/// events: TimelineOf (incident_views.cpp) reads them back from the zones.
PoolZones StartPoolZones(ChangeBy& by, std::int64_t incident,
                         const std::vector<store::ResidentRow>& members,
                         std::span<const core::ZoneEffect> effects, const std::string& reason) {
  PoolZones out;
  std::vector<std::int64_t> places;
  for (const store::ResidentRow& r : members) {
    out.first_of_member.push_back(out.rows.size());
    for (const core::ZoneEffect& effect : effects) {
      const auto place = PlaceOfKind(by, r, effect.place);
      const std::string level(core::ZoneLevelName(effect.level));
      if (!place || std::any_of(out.rows.begin(), out.rows.end(), [&](const store::ZoneRow& z) {
            return z.place_id == *place && z.level == level;
          }))
        continue;
      out.rows.push_back({0, *place, level, incident, reason, by.now, std::nullopt, std::nullopt});
      if (std::find(places.begin(), places.end(), *place) == places.end()) places.push_back(*place);
    }
  }
  out.first_of_member.push_back(out.rows.size());
  if (out.rows.empty()) return out;
  const std::int64_t first = store::InsertZones(by.tx, out.rows);
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    out.rows[i].id = first + static_cast<std::int64_t>(i);
    NoteZoneChange(by, out.rows[i].place_id, out.rows[i].level, true);
    PublishZone(by, out.rows[i], true);
  }
  store::AddIncidentPlaces(by.tx, incident, places);
  return out;
}

/// The community over the home, or the home: who is told of new retest tasks.
std::int64_t CommunityOf(ChangeBy& by, const store::ResidentRow& r) {
  return PlaceOfKind(by, r, core::PlaceKind::kCommunity).value_or(r.place_id);
}

}  // namespace

std::int64_t OpenPoolIncident(ChangeBy& by, const store::TubeRow& tube) {
  // Everything a pool opens is written many rows to a statement (a pool of 20 writes some 120
  // rows), and its opening is one timeline event: the person_added, zone_started and
  // task_created lines are read back from the rows themselves (TimelineOf, incident_views.cpp).
  const core::ZonePolicy& policy = PolicyOf(by);
  const std::int64_t id = store::InsertIncident(
      by.tx, store::NewIncident{"pool_positive", tube.barcode, tube.round_id, {}, {}}, by.now);
  const std::string why = "pooled tube " + tube.barcode + " is positive";
  Event(by, id, "opened", why);
  const std::vector<store::ResidentRow> members = store::ResidentsInTube(by.tx.db(), tube.barcode);
  std::vector<std::int64_t> people;
  people.reserve(members.size());
  for (const store::ResidentRow& r : members) people.push_back(r.id);
  store::AddIncidentPeople(by.tx, id, people);
  PoolZones zones = StartPoolZones(by, id, members, core::ZonesForPositivePool(policy), why);
  std::vector<store::TaskRow> tasks;
  for (const store::ResidentRow& r : members) {
    store::TaskRow& task = tasks.emplace_back();
    task.incident_id = id;
    task.resident_id = r.id;
    task.door_to_door = NeedsDoorToDoor(by, r);
    task.due_at = by.now + policy.retest_due_hours * kHour;
  }
  store::InsertTasks(by.tx, tasks, by.now);
  // The messages in the order they always had: member by member, their zones then
  // themselves; then the communities.
  std::vector<store::OutboxRow> messages;
  std::vector<std::int64_t> communities;
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t z = zones.first_of_member[i]; z < zones.first_of_member[i + 1]; ++z)
      messages.push_back(ZoneMessage(by, "zone_started", zones.rows[z]));
    messages.push_back(ResidentMessage(by, "status_yellow", members[i].id, id));
    const std::int64_t community = CommunityOf(by, members[i]);
    if (std::find(communities.begin(), communities.end(), community) == communities.end())
      communities.push_back(community);
  }
  for (std::int64_t community : communities)
    messages.push_back({"retest_tasks", "place", std::to_string(community),
                        "{\"incident_id\":" + std::to_string(id) + "}", by.now});
  store::AppendOutboxRows(by.tx, messages);
  PublishIncident(by.tx, core::LiveEventKind::kIncidentOpened, id, by.now);
  return id;
}

std::int64_t EscalatePositive(ChangeBy& by, std::int64_t resident_id,
                              std::optional<std::int64_t> parent, std::optional<std::string> tube) {
  const core::ZonePolicy& policy = PolicyOf(by);
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
  PublishIncident(by.tx, core::LiveEventKind::kIncidentOpened, id, by.now);
  return id;
}

void RecordRetestResult(ChangeBy& by, const store::TubeRow& tube, core::TubeResult result) {
  if (!tube.incident_id || result == core::TubeResult::kInvalid) return;
  const std::int64_t incident = *tube.incident_id;
  const std::string name(core::TubeResultName(result));
  for (const store::SampleRow& s : store::ValidSamplesInTube(by.tx.db(), tube.barcode)) {
    if (auto task = store::FindTaskOf(by.tx.db(), incident, s.resident_id)) {
      store::CompleteTask(by.tx, task->id, name, by.now);
      if (auto r = store::FindResident(by.tx.db(), s.resident_id))
        PublishAt(by.tx, core::LiveEventKind::kTaskDone, r->place_id_path, task->id, by.now);
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
  PublishIncident(by.tx, core::LiveEventKind::kIncidentClosed, id, by.now);
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
