// Incidents people open: an antigen report with its checklist, a manual incident.
#include "service/reports.hpp"

#include <array>
#include <string_view>

#include "service/live_events.hpp"
#include "service/people.hpp"
#include "store/audit.hpp"
#include "store/incidents.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::array<std::string_view, 5> kChecklistItems = {"nasal_swab", "throat_swab", "blood",
                                                             "environment", "antigen"};

core::Result<store::ResidentRow> RegisteredPerson(store::Connection& db, const Env& env,
                                                  const Actor& actor, const std::string& text) {
  PersonLookup who;
  SWB_TRY_ASSIGN(who, LookUpPerson(db, env, text));
  if (!who.resident) return core::Fail(ErrorCode::kUnknownPerson, "this person is not registered");
  SWB_TRY(RequireInScope(actor, who.resident->place_id_path));
  return std::move(*who.resident);
}

}  // namespace

namespace {

core::Status RequireAntigenKind(const std::string& kind) {
  if (kind != "antigen_positive")
    return core::Fail(ErrorCode::kInvalidField, "kind must be antigen_positive")
        .With("field", "kind");
  return core::Ok{};
}

/// Opens the antigen_report incident of `r`, reported by `by.actor`: the checklist, and the
/// unit (the home when it lies in none) under temporary control until the checklist is
/// negative.
std::int64_t OpenAntigenReport(ChangeBy& by, const store::ResidentRow& r) {
  store::Tx& tx = by.tx;
  const std::int64_t id =
      store::InsertIncident(tx, store::NewIncident{"antigen_report", {}, {}, {}, {}}, by.now);
  store::AddIncidentPerson(tx, id, r.id);
  store::AppendIncidentEvent(
      tx, id,
      {by.now, "opened", "antigen-positive report for person " + std::to_string(r.id), by.actor});
  for (std::string_view item : kChecklistItems) store::InsertChecklistItem(tx, id, item);
  std::int64_t unit = r.place_id;
  for (std::int64_t place_id : core::IdsAlong(r.place_id_path))
    if (auto p = store::FindPlace(tx.db(), place_id); p && p->kind == core::PlaceKind::kUnit)
      unit = place_id;
  StartZone(by, unit, core::ZoneLevel::kTemporary, id, "antigen-positive report");
  store::AppendAudit(tx, by.now,
                     {by.actor, "incident.open", "incident", std::to_string(id),
                      "antigen_report resident=" + std::to_string(r.id)});
  PublishIncident(tx, core::LiveEventKind::kIncidentOpened, id, by.now);
  return id;
}

/// The person's open antigen_report incident, if any.
std::optional<std::int64_t> OpenAntigenReportOf(store::Connection& db, std::int64_t resident) {
  auto q = db.Query(
      "SELECT i.id FROM incident_people p JOIN incidents i ON i.id = p.incident_id WHERE "
      "p.resident_id = ?1 AND i.kind = 'antigen_report' AND i.status = 'open' ORDER BY i.id DESC "
      "LIMIT 1");
  q->Bind(1, resident);
  if (q->Next() != store::Step::kRow) return std::nullopt;
  return q->Int(0);
}

}  // namespace

core::Result<Incident> ReportAntigenPositive(store::Tx& tx, const Env& env, const Actor& actor,
                                             const std::string& person, const std::string& kind) {
  SWB_TRY(Require(actor, core::Permission::kReportAntigen));
  SWB_TRY(RequireAntigenKind(kind));
  store::ResidentRow r;
  SWB_TRY_ASSIGN(r, RegisteredPerson(tx.db(), env, actor, person));
  ChangeBy by{tx, env.clock.Now(), actor.username};
  return IncidentOf(tx.db(), OpenAntigenReport(by, r), true);
}

core::Result<OwnReport> ReportOwnAntigenPositive(store::Tx& tx, const Env& env,
                                                 std::int64_t resident_id,
                                                 const std::string& kind) {
  SWB_TRY(RequireAntigenKind(kind));
  auto r = store::FindResident(tx.db(), resident_id);
  if (!r) return core::Fail(ErrorCode::kInvalidPersonalCode, "this code names nobody registered");
  // A second report while the first is being followed up opens nothing new: the same
  // five-piece sampling already answers it.
  if (auto open = OpenAntigenReportOf(tx.db(), r->id))
    return OwnReport{IncidentOf(tx.db(), *open, true), false};
  ChangeBy by{tx, env.clock.Now(), kResidentReporter};
  return OwnReport{IncidentOf(tx.db(), OpenAntigenReport(by, *r), true), true};
}

core::Result<Incident> RecordChecklistItem(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t id, const std::string& item,
                                           const std::string& result) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  Incident incident;
  SWB_TRY_ASSIGN(incident, GetIncident(tx.db(), actor, id));
  auto entry = std::find_if(incident.checklist.begin(), incident.checklist.end(),
                            [&](const ChecklistEntry& e) { return e.item == item; });
  if (entry == incident.checklist.end())
    return core::Fail(ErrorCode::kInvalidField,
                      "'" + item + "' is not an item of this incident's checklist")
        .With("field", "item");
  if (result != "negative" && result != "positive")
    return core::Fail(ErrorCode::kInvalidField, "result must be negative or positive")
        .With("field", "result");
  if (incident.status == "closed")
    return core::Fail(ErrorCode::kIncidentClosed, "incident " + std::to_string(id) + " is closed");
  ChangeBy by{tx, env.clock.Now(), actor.username};
  store::SetChecklistResult(tx, id, item, result, by.now);
  store::AppendIncidentEvent(tx, id, {by.now, "checklist", item + ": " + result, actor.username});
  if (result == "positive") {
    for (const PersonBrief& p : incident.people) EscalatePositive(by, p.id, id, std::nullopt);
  } else {
    entry->result = result;
    if (std::all_of(incident.checklist.begin(), incident.checklist.end(),
                    [](const ChecklistEntry& e) { return e.result == "negative"; }))
      CloseIncidentNow(by, id, "every checklist item is negative");
  }
  return IncidentOf(tx.db(), id, true);
}

core::Result<Incident> OpenManualIncident(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::string& kind,
                                          const std::vector<std::string>& people,
                                          const std::vector<std::int64_t>& place_ids,
                                          const std::string& note) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  if (kind != "manual")
    return core::Fail(ErrorCode::kInvalidField, "kind must be manual").With("field", "kind");
  if (people.empty() && place_ids.empty())
    return core::Fail(ErrorCode::kMissingField, "name people or place_ids").With("field", "people");
  std::vector<std::int64_t> residents;
  for (const std::string& text : people) {
    store::ResidentRow r;
    SWB_TRY_ASSIGN(r, RegisteredPerson(tx.db(), env, actor, text));
    residents.push_back(r.id);
  }
  for (std::int64_t place_id : place_ids) {
    auto place = store::FindPlace(tx.db(), place_id);
    if (!place)
      return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(place_id));
    SWB_TRY(RequireInScope(actor, place->id_path));
  }
  const core::Micros now = env.clock.Now();
  const std::int64_t id = store::InsertIncident(
      tx,
      store::NewIncident{
          "manual", {}, {}, {}, note.empty() ? std::nullopt : std::optional<std::string>(note)},
      now);
  for (std::int64_t r : residents) store::AddIncidentPerson(tx, id, r);
  for (std::int64_t p : place_ids) store::AddIncidentPlace(tx, id, p);
  store::AppendIncidentEvent(tx, id, {now, "opened", note, actor.username});
  store::AppendAudit(tx, now,
                     {actor.username, "incident.open", "incident", std::to_string(id), "manual"});
  PublishIncident(tx, core::LiveEventKind::kIncidentOpened, id, now);
  return IncidentOf(tx.db(), id, true);
}

}  // namespace swabline::service
