// Incidents, zones and retest tasks (docs/outbreak.md; tag outbreak in docs/openapi.yaml).
#include "core/civil_time.hpp"
#include "http/decode.hpp"
#include "http/outbreak_json.hpp"
#include "http/routes.hpp"
#include "service/incidents.hpp"
#include "service/zones.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

/// An optional array member: empty when absent.
template <typename T, typename Read>
core::Result<std::vector<T>> OptionalArray(const json::object& o, std::string_view key, Read read) {
  if (!o.contains(key)) return std::vector<T>();
  return read(o, key);
}

void ListIncidents(App& app, Request& req, Respond respond) {
  SWB_DECODE(status, QueryWord(req, "status", {"open", "closed"}));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [status = *status, place = *place, paging = *paging](store::Connection& db,
                                                                const service::Actor& actor) {
             return Answer(
                 200, service::ListIncidents(db, actor, status, place, paging.cursor, paging.limit),
                 [](const service::IncidentPage& p) {
                   return PageJson("incidents", p.incidents, p.next_cursor, IncidentJson);
                 });
           });
}

void OpenIncident(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(kind, RequireString(*body, "kind"));
  SWB_DECODE(people, OptionalArray<std::string>(*body, "people", StringArray));
  SWB_DECODE(places, OptionalArray<std::int64_t>(*body, "place_ids", IdArray));
  SWB_DECODE(note, OptionalString(*body, "note"));
  app.Write(req, std::move(respond),
            [&app, kind = *kind, people = *people, places = *places, note = note->value_or("")](
                store::Tx& tx, const service::Actor& actor) {
              return Answer(
                  201,
                  service::OpenManualIncident(tx, app.env(), actor, kind, people, places, note),
                  IncidentJson);
            });
}

void GetIncident(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownIncident, "incident"));
  app.Read(req, std::move(respond), [id = *id](store::Connection& db, const service::Actor& a) {
    return Answer(200, service::GetIncident(db, a, id), IncidentJson);
  });
}

void CloseIncident(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownIncident, "incident"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(reason, OptionalString(*body, "reason"));
  app.Write(
      req, std::move(respond),
      [&app, id = *id, reason = reason->value_or("")](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::CloseIncident(tx, app.env(), actor, id, reason), IncidentJson);
      });
}

void RecordChecklist(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownIncident, "incident"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(result, RequireString(*body, "result"));
  app.Write(req, std::move(respond),
            [&app, id = *id, item = req.Param("item"), result = *result](
                store::Tx& tx, const service::Actor& actor) {
              return Answer(200,
                            service::RecordChecklistItem(tx, app.env(), actor, id, item, result),
                            IncidentJson);
            });
}

void ListZones(App& app, Request& req, Respond respond) {
  SWB_DECODE(active, QueryWord(req, "active", {"true", "false"}));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [active = *active == "true", place = *place](store::Connection& db,
                                                        const service::Actor& actor) {
             return Answer(200, service::ListZones(db, actor, active, place),
                           [](const std::vector<service::Zone>& zones) {
                             json::array out;
                             for (const auto& z : zones) out.emplace_back(ZoneJson(z));
                             return json::object{{"zones", std::move(out)}};
                           });
           });
}

void CreateZone(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(place, OptionalInt(*body, "place_id"));
  if (!*place)
    return respond(ProblemReply(core::Error(core::ErrorCode::kMissingField, "place_id is required")
                                    .With("field", "place_id")));
  SWB_DECODE(level, RequireString(*body, "level"));
  SWB_DECODE(reason, OptionalString(*body, "reason"));
  app.Write(req, std::move(respond),
            [&app, place = **place, level = *level, reason = reason->value_or("")](
                store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::CreateZone(tx, app.env(), actor, place, level, reason),
                            ZoneJson);
            });
}

void LiftZone(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownZone, "zone"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(reason, OptionalString(*body, "reason"));
  app.Write(
      req, std::move(respond),
      [&app, id = *id, reason = reason->value_or("")](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::LiftZoneByHand(tx, app.env(), actor, id, reason), ZoneJson);
      });
}

void AssignTask(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownTask, "task"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(assignee, RequireString(*body, "assignee"));
  SWB_DECODE(due_text, OptionalString(*body, "due_at"));
  std::optional<core::Micros> due_at;
  if (*due_text) {
    due_at = core::ParseRfc3339(**due_text);
    if (!due_at)
      return respond(ProblemReply(
          core::Error(core::ErrorCode::kInvalidField, "due_at must be an RFC 3339 time")
              .With("field", "due_at")));
  }
  app.Write(
      req, std::move(respond),
      [&app, id = *id, assignee = *assignee, due_at](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::AssignTask(tx, app.env(), actor, id, assignee, due_at),
                      TaskJson);
      });
}

void ListTasks(App& app, Request& req, Respond respond) {
  SWB_DECODE(status, QueryWord(req, "status", {"open", "done"}));
  SWB_DECODE(overdue, QueryWord(req, "overdue", {"true", "false"}));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [&app, status = *status, overdue = *overdue == "true", place = *place](
               store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListTasks(db, app.env(), actor, status, overdue, place),
                           [](const std::vector<service::Task>& tasks) {
                             json::array out;
                             for (const auto& t : tasks) out.emplace_back(TaskJson(t));
                             return json::object{{"tasks", std::move(out)}};
                           });
           });
}

}  // namespace

void AddOutbreakRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/incidents", Needs(core::Permission::kReadIncidents),
             bind(ListIncidents));
  router.Add("POST", "/api/v1/incidents", Needs(core::Permission::kManageIncidents),
             bind(OpenIncident));
  router.Add("GET", "/api/v1/incidents/{id}", Needs(core::Permission::kReadIncidents),
             bind(GetIncident));
  router.Add("POST", "/api/v1/incidents/{id}/close", Needs(core::Permission::kManageIncidents),
             bind(CloseIncident));
  router.Add("POST", "/api/v1/incidents/{id}/checklist/{item}",
             Needs(core::Permission::kManageIncidents), bind(RecordChecklist));
  router.Add("GET", "/api/v1/zones", Needs(core::Permission::kReadIncidents), bind(ListZones));
  router.Add("POST", "/api/v1/zones", Needs(core::Permission::kManageIncidents), bind(CreateZone));
  router.Add("POST", "/api/v1/zones/{id}/lift", Needs(core::Permission::kManageIncidents),
             bind(LiftZone));
  router.Add("GET", "/api/v1/tasks", Needs(core::Permission::kReadIncidents), bind(ListTasks));
  router.Add("POST", "/api/v1/tasks/{id}/assign", Needs(core::Permission::kManageIncidents),
             bind(AssignTask));
}

}  // namespace swabline::http
