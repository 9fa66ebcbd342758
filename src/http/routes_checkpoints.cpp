// Checkpoints at compound gates: create and list them, scan a person at one, read its log, and
// how long the log is kept (docs/openapi.yaml, the checkpoints tag).

#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/checkpoints.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::object CheckpointJson(const service::Checkpoint& c) {
  return json::object{
      {"id", c.id}, {"name", c.name}, {"place_id", c.place_id}, {"address", c.address}};
}

json::object ScanJson(const service::GateScan& s, bool with_reasons) {
  json::object o{{"id", s.id},
                 {"checkpoint_id", s.checkpoint_id},
                 {"at", core::FormatRfc3339(s.at)},
                 {"person", PersonBriefJson(s.person)},
                 {"direction", core::GateDirectionName(s.direction)},
                 {"allowed", s.allowed},
                 {"color", core::ColorName(s.color)}};
  if (with_reasons) {
    json::array reasons;
    for (const auto& r : s.reasons)
      reasons.emplace_back(json::object{{"code", r.code}, {"detail", r.detail}});
    o["reasons"] = std::move(reasons);
  }
  return o;
}

json::object SettingsJson(const service::CheckpointSettings& s) {
  return json::object{
      {"retention_days", s.retention_days},
      {"updated_at", TimeJson(s.updated_at)},
      {"updated_by", s.updated_by.empty() ? json::value(nullptr) : json::value(s.updated_by)}};
}

void CreateCheckpoint(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(place, OptionalInt(*body, "place_id"));
  if (!*place)
    return respond(
        ProblemReply(core::Error(core::ErrorCode::kMissingField, "'place_id' is required")
                         .With("field", "place_id")));
  app.Write(req, std::move(respond),
            [&app, name = *name, place = **place](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::CreateCheckpoint(tx, app.env(), actor, name, place),
                            CheckpointJson);
            });
}

void ListCheckpoints(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [place = *place, paging = *paging](store::Connection& db, const service::Actor& actor) {
             return Answer(
                 200, service::ListCheckpoints(db, actor, place, paging.cursor, paging.limit),
                 [](const service::CheckpointPage& p) {
                   return PageJson("checkpoints", p.checkpoints, p.next_cursor, CheckpointJson);
                 });
           });
}

void Scan(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownCheckpoint, "checkpoint"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(person, RequireString(*body, "person"));
  SWB_DECODE(direction, OptionalString(*body, "direction"));
  app.Write(req, std::move(respond),
            [&app, id = *id, person = *person, direction = direction->value_or("in")](
                store::Tx& tx, const service::Actor& actor) {
              return Answer(200,
                            service::ScanAtCheckpoint(tx, app.env(), actor, id, person, direction),
                            [](const service::GateScan& s) { return ScanJson(s, true); });
            });
}

core::Result<core::Micros> SinceQuery(const Request& req) {
  auto text = req.Query("since");
  if (!text || text->empty()) return core::Micros{0};
  if (auto t = core::ParseRfc3339(*text)) return *t;
  return core::Fail(core::ErrorCode::kInvalidField, "since must be an RFC 3339 time")
      .With("field", "since");
}

void ListScans(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownCheckpoint, "checkpoint"));
  SWB_DECODE(since, SinceQuery(req));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [id = *id, since = *since, paging = *paging](store::Connection& db,
                                                        const service::Actor& actor) {
             return Answer(
                 200, service::ListGateScans(db, actor, id, since, paging.cursor, paging.limit),
                 [](const service::GateScanPage& p) {
                   return PageJson("scans", p.scans, p.next_cursor,
                                   [](const service::GateScan& s) { return ScanJson(s, false); });
                 });
           });
}

void GetSettings(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetCheckpointSettings(db, actor), SettingsJson);
  });
}

void PutSettings(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(days, OptionalInt(*body, "retention_days"));
  if (!*days)
    return respond(
        ProblemReply(core::Error(core::ErrorCode::kMissingField, "'retention_days' is required")
                         .With("field", "retention_days")));
  const int clamped = static_cast<int>(std::clamp<std::int64_t>(**days, -1, 100'000));
  app.Write(req, std::move(respond), [&app, clamped](store::Tx& tx, const service::Actor& actor) {
    return Answer(200, service::PutCheckpointSettings(tx, app.env(), actor, clamped), SettingsJson);
  });
}

}  // namespace

void AddCheckpointRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/checkpoints", Needs(core::Permission::kManageSites),
             bind(CreateCheckpoint));
  router.Add("GET", "/api/v1/checkpoints", Needs(core::Permission::kGateScan),
             bind(ListCheckpoints));
  router.Add("POST", "/api/v1/checkpoints/{id}/scans", Needs(core::Permission::kGateScan),
             bind(Scan));
  router.Add("GET", "/api/v1/checkpoints/{id}/scans", Needs(core::Permission::kGateScan),
             bind(ListScans));
  router.Add("GET", "/api/v1/settings/checkpoints", Needs(core::Permission::kGateScan),
             bind(GetSettings));
  router.Add("PUT", "/api/v1/settings/checkpoints", Needs(core::Permission::kManageSettings),
             bind(PutSettings));
}

}  // namespace swabline::http
