#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

void CreateRound(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(places, IdArray(*body, "place_ids"));
  SWB_DECODE(pool, OptionalInt(*body, "pool_size"));
  SWB_DECODE(starts, OptionalTime(*body, "starts_at"));
  SWB_DECODE(ends, OptionalTime(*body, "ends_at"));
  service::NewRound in{*name, *places, static_cast<int>(pool->value_or(10)), *starts, *ends};
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    return Answer(201, service::CreateRound(tx, app.env(), actor, in), RoundJson);
  });
}

void CloseRound(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  app.Write(req, std::move(respond), [&app, id = *id](store::Tx& tx, const service::Actor& actor) {
    return Answer(200, service::CloseRound(tx, app.env(), actor, id), RoundJson);
  });
}

void GetRound(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  app.Read(req, std::move(respond), [id = *id](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetRound(db, actor, id), RoundJson);
  });
}

core::Result<std::optional<core::RoundStatus>> RoundStatusQuery(const Request& req) {
  auto text = req.Query("status");
  if (!text) return std::optional<core::RoundStatus>();
  if (auto status = core::ParseRoundStatus(*text)) return status;
  return core::Fail(core::ErrorCode::kInvalidField, "status must be active or closed")
      .With("field", "status");
}

void ListRounds(App& app, Request& req, Respond respond) {
  SWB_DECODE(paging, ParsePaging(req, 50, 500));
  SWB_DECODE(status, RoundStatusQuery(req));
  app.Read(req, std::move(respond),
           [status = *status, cursor = paging->cursor, limit = paging->limit](
               store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListRounds(db, actor, status, cursor, limit),
                           [](const service::RoundPage& p) {
                             return PageJson("rounds", p.rounds, p.next_cursor, RoundJson);
                           });
           });
}

void OpenTube(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(barcode, RequireString(*body, "barcode"));
  SWB_DECODE(round, OptionalInt(*body, "round_id"));
  SWB_DECODE(site, OptionalInt(*body, "site_id"));
  SWB_DECODE(capacity, OptionalInt(*body, "capacity"));
  SWB_DECODE(purpose, OptionalString(*body, "purpose"));
  SWB_DECODE(incident, OptionalInt(*body, "incident_id"));
  for (auto [field, value] : {std::pair{"round_id", *round}, std::pair{"site_id", *site}})
    if (!value)
      return respond(ProblemReply(
          core::Error(core::ErrorCode::kMissingField, "'" + std::string(field) + "' is required")
              .With("field", field)));
  service::OpenTubeInput in{*barcode, **round, **site, std::nullopt, *purpose, *incident};
  if (*capacity) in.capacity = static_cast<int>(std::clamp<std::int64_t>(**capacity, -1, 1000));
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    return Answer(201, service::OpenTube(tx, app.env(), actor, in), TubeJson);
  });
}

json::object AddedSampleJson(const service::AddedSample& added) {
  json::object o;
  o["id"] = added.id;
  o["person"] = PersonBriefJson(added.person);
  o["sampled_at"] = core::FormatRfc3339(added.sampled_at);
  o["tube"] = TubeJson(added.tube);
  return o;
}

json::object VoidedSampleJson(const service::VoidedSample& voided) {
  json::object o;
  o["id"] = voided.id;
  o["voided"] = true;
  o["reason"] = voided.reason;
  o["voided_at"] = core::FormatRfc3339(voided.voided_at);
  o["tube"] = TubeJson(voided.tube);
  return o;
}

void AddSample(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(person, RequireString(*body, "person"));
  SWB_DECODE(name, OptionalString(*body, "name"));
  SWB_DECODE(repeat, OptionalBool(*body, "allow_repeat"));
  SWB_DECODE(reason, OptionalString(*body, "reason"));
  service::AddSampleInput in{*person, *name, repeat->value_or(false), *reason};
  app.Write(req, std::move(respond),
            [&app, in, barcode = req.Param("barcode")](store::Tx& tx, const service::Actor& actor) {
              return AnswerLater(201, service::AddSample(tx, app.env(), actor, barcode, in),
                                 AddedSampleJson);
            });
}

void SealTube(App& app, Request& req, Respond respond) {
  app.Write(req, std::move(respond),
            [&app, barcode = req.Param("barcode")](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::SealTube(tx, app.env(), actor, barcode), TubeJson);
            });
}

void VoidSample(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownSample, "sample"));
  std::string reason;
  if (!req.body.empty()) {
    SWB_DECODE(body, ParseObject(req));
    SWB_DECODE(r, OptionalString(*body, "reason"));
    reason = r->value_or("");
  }
  app.Write(req, std::move(respond),
            [&app, id = *id, reason](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::VoidSample(tx, app.env(), actor, id, reason),
                            VoidedSampleJson);
            });
}

void GetTube(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond),
           [barcode = req.Param("barcode")](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetTube(db, actor, barcode), TubeJson);
           });
}

}  // namespace

void AddSamplingRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/rounds", Needs(core::Permission::kManageRounds), bind(CreateRound));
  router.Add("GET", "/api/v1/rounds", Needs(core::Permission::kReadPlaces), bind(ListRounds));
  router.Add("GET", "/api/v1/rounds/{id}", Needs(core::Permission::kReadPlaces), bind(GetRound));
  router.Add("POST", "/api/v1/rounds/{id}/close", Needs(core::Permission::kManageRounds),
             bind(CloseRound));
  router.Add("POST", "/api/v1/tubes", Needs(core::Permission::kSample), bind(OpenTube));
  router.Add("GET", "/api/v1/tubes/{barcode}", Needs(core::Permission::kReadTubes), bind(GetTube));
  router.Add("POST", "/api/v1/tubes/{barcode}/samples", Needs(core::Permission::kSample),
             bind(AddSample));
  router.Add("POST", "/api/v1/tubes/{barcode}/seal", Needs(core::Permission::kSample),
             bind(SealTube));
  router.Add("POST", "/api/v1/samples/{id}/void", Needs(core::Permission::kSample),
             bind(VoidSample));
}

}  // namespace swabline::http
