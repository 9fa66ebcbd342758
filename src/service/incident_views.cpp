// Reading incidents and tasks, and assigning tasks.
#include <algorithm>

#include "service/incidents.hpp"
#include "store/incidents.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/tasks.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

PersonBrief BriefById(store::Connection& db, std::int64_t id) {
  auto r = store::FindResident(db, id);
  return r ? BriefOf(*r) : PersonBrief{id, "", ""};
}

Task TaskOf(store::Connection& db, const store::TaskRow& t) {
  return Task{t.id,     t.incident_id,  t.kind,     BriefById(db, t.resident_id),
              t.status, t.door_to_door, t.assignee, t.due_at};
}

/// The stored timeline with the lines of a pool's opening put back after its `opened` event:
/// OpenPoolIncident stores that one event and reads the rest from what it wrote (its people,
/// the zones started at the opening, its retest tasks), as person_added, zone_started and
/// task_created lines at the opening's instant and by its actor. An incident whose opening
/// was stored line by line is answered as stored.
std::vector<TimelineEntry> TimelineOf(store::Connection& db, const Incident& incident,
                                      const std::vector<std::int64_t>& people,
                                      const std::vector<store::ZoneRow>& zones,
                                      const std::vector<store::TaskRow>& tasks) {
  std::vector<store::IncidentEventRow> events = store::IncidentEvents(db, incident.id);
  const bool put_back =
      incident.kind == "pool_positive" &&
      std::none_of(events.begin(), events.end(), [](auto& e) { return e.event == "person_added"; });
  std::vector<TimelineEntry> out;
  for (auto& e : events) {
    out.push_back({e.at, std::move(e.event), std::move(e.detail), e.actor});
    if (!put_back || out.back().event != "opened") continue;
    for (std::int64_t p : people)
      out.push_back({e.at, "person_added", "person " + std::to_string(p), e.actor});
    for (const store::ZoneRow& z : zones)
      if (z.started_at == e.at && !z.stepped_down_from)
        out.push_back(
            {e.at, "zone_started", ZoneEventDetail(z.level, z.place_id, z.reason), e.actor});
    for (const store::TaskRow& t : tasks)
      out.push_back({e.at, "task_created",
                     "retest task " + std::to_string(t.id) + " for person " +
                         std::to_string(t.resident_id) + (t.door_to_door ? " (door to door)" : ""),
                     e.actor});
  }
  return out;
}

Incident FromRow(store::Connection& db, store::IncidentRow row, bool detailed) {
  Incident out;
  out.id = row.id;
  out.kind = std::move(row.kind);
  out.status = std::move(row.status);
  out.tube = std::move(row.tube);
  for (std::int64_t p : row.people) out.people.push_back(BriefById(db, p));
  out.place_ids = std::move(row.place_ids);
  const std::vector<store::ZoneRow> zones = store::ZonesOfIncident(db, row.id);
  for (const store::ZoneRow& z : zones) out.zones.push_back(ZoneOf(z));
  out.opened_at = row.opened_at;
  out.closed_at = row.closed_at;
  out.parent_id = row.parent_id;
  out.note = std::move(row.note);
  out.closed_reason = std::move(row.closed_reason);
  out.detailed = detailed;
  if (!detailed) return out;
  const std::vector<store::TaskRow> tasks = store::TasksOfIncident(db, row.id);
  out.timeline = TimelineOf(db, out, row.people, zones, tasks);
  for (const auto& t : tasks) out.tasks.push_back(TaskOf(db, t));
  for (auto& c : store::Checklist(db, row.id))
    out.checklist.push_back({std::move(c.item), c.done_at, std::move(c.result)});
  return out;
}

/// The id_path lists are filtered under: the place's, or the actor's scope.
core::Result<std::string> UnderPath(store::Connection& db, const Actor& actor,
                                    std::optional<std::int64_t> place_id) {
  if (!place_id) return actor.scope_id_path;
  auto place = store::FindPlace(db, *place_id);
  if (!place)
    return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(*place_id));
  SWB_TRY(RequireInScope(actor, place->id_path));
  return place->id_path;
}

}  // namespace

Incident IncidentOf(store::Connection& db, std::int64_t id, bool detailed) {
  return FromRow(db, *store::FindIncident(db, id), detailed);
}

core::Result<Incident> GetIncident(store::Connection& db, const Actor& actor, std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  auto row = store::FindIncident(db, id);
  if (!row)
    return core::Fail(ErrorCode::kUnknownIncident, "no incident with id " + std::to_string(id));
  if (!actor.scope_id_path.empty()) {
    const auto paths = store::IncidentIdPaths(db, id);
    if (std::none_of(paths.begin(), paths.end(),
                     [&](const std::string& p) { return core::InSubtree(p, actor.scope_id_path); }))
      return core::Fail(ErrorCode::kForbidden,
                        "incident " + std::to_string(id) + " lies outside your places");
  }
  return FromRow(db, std::move(*row), true);
}

core::Result<IncidentPage> ListIncidents(store::Connection& db, const Actor& actor,
                                         std::optional<std::string> status,
                                         std::optional<std::int64_t> place_id, std::int64_t cursor,
                                         int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  if (status && *status != "open" && *status != "closed")
    return core::Fail(ErrorCode::kInvalidField, "status must be open or closed")
        .With("field", "status");
  store::IncidentFilter filter;
  filter.status = std::move(status);
  SWB_TRY_ASSIGN(filter.under_id_path, UnderPath(db, actor, place_id));
  filter.after_id = cursor;
  filter.limit = limit + 1;
  auto rows = store::ListIncidentRows(db, filter);
  IncidentPage page;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = rows.back().id;
  }
  for (auto& row : rows) page.incidents.push_back(FromRow(db, std::move(row), false));
  return page;
}

core::Result<Task> AssignTask(store::Tx& tx, const Env& env, const Actor& actor, std::int64_t id,
                              const std::string& assignee, std::optional<core::Micros> due_at) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  auto task = store::FindTask(tx.db(), id);
  if (!task) return core::Fail(ErrorCode::kUnknownTask, "no task with id " + std::to_string(id));
  auto person = store::FindResident(tx.db(), task->resident_id);
  SWB_TRY(RequireInScope(actor, person ? person->place_id_path : ""));
  if (assignee.empty())
    return core::Fail(ErrorCode::kMissingField, "name the assignee").With("field", "assignee");
  store::AssignTaskRow(tx, id, assignee, due_at);
  store::AppendIncidentEvent(
      tx, task->incident_id,
      {env.clock.Now(), "task_assigned", "retest task " + std::to_string(id) + " to " + assignee,
       actor.username});
  return TaskOf(tx.db(), *store::FindTask(tx.db(), id));
}

core::Result<std::vector<Task>> ListTasks(store::Connection& db, const Env& env, const Actor& actor,
                                          std::optional<std::string> status, bool overdue,
                                          std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  if (status && *status != "open" && *status != "done")
    return core::Fail(ErrorCode::kInvalidField, "status must be open or done")
        .With("field", "status");
  store::TaskFilter filter;
  filter.status = std::move(status);
  if (overdue) filter.overdue_at = env.clock.Now();
  SWB_TRY_ASSIGN(filter.under_id_path, UnderPath(db, actor, place_id));
  std::vector<Task> out;
  for (const auto& t : store::ListTaskRows(db, filter)) out.push_back(TaskOf(db, t));
  return out;
}

}  // namespace swabline::service
