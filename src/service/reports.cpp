#include "service/reports.hpp"

#include "service/people.hpp"
#include "store/audit.hpp"
#include "store/incidents.hpp"

namespace swabline::service {

core::Result<Incident> ReportAntigenPositive(store::Tx& tx, const Env& env, const Actor& actor,
                                             const std::string& person, const std::string& kind) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  if (kind != "antigen_positive")
    return core::Fail(core::ErrorCode::kInvalidField, "kind must be antigen_positive")
        .With("field", "kind");
  PersonLookup who;
  SWB_TRY_ASSIGN(who, LookUpPerson(tx.db(), env, person));
  if (!who.resident)
    return core::Fail(core::ErrorCode::kUnknownPerson, "this person is not registered");
  SWB_TRY(RequireInScope(actor, who.resident->place_id_path));
  const core::Micros now = env.clock.Now();
  const std::int64_t id = store::InsertIncident(tx, "antigen_report", now, {who.resident->id});
  store::AppendAudit(tx, now,
                     {actor.username, "incident.open", "incident", std::to_string(id),
                      "antigen_report resident=" + std::to_string(who.resident->id)});
  store::IncidentRow row = *store::FindIncident(tx.db(), id);
  return Incident{row.id,        std::move(row.kind), std::move(row.status), std::move(row.tube),
                  row.opened_at, row.closed_at,       std::move(row.people)};
}

}  // namespace swabline::service
