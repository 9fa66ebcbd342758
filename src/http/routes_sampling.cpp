#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/routes.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

/// Decodes `key` from a JSON body, answering the problem itself when it fails.
#define SWB_DECODE(var, expr)                          \
  auto var = (expr);                                   \
  if (!var) return respond(ProblemReply(var.error()))

core::Result<std::vector<std::int64_t>> IdArray(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return core::Fail(core::ErrorCode::kMissingField, "'" + std::string(key) + "' is required")
        .With("field", std::string(key));
  if (!it->value().is_array())
    return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be an array of ids")
        .With("field", std::string(key));
  std::vector<std::int64_t> ids;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_int64() || v.as_int64() <= 0)
      return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must hold positive integer ids")
          .With("field", std::string(key));
    ids.push_back(v.as_int64());
  }
  return ids;
}

core::Result<std::optional<core::Micros>> OptionalTime(const json::object& o, std::string_view key) {
  std::optional<std::string> text;
  SWB_TRY_ASSIGN(text, OptionalString(o, key));
  if (!text) return std::optional<core::Micros>();
  auto t = core::ParseRfc3339(*text);
  if (!t)
    return core::Fail(core::ErrorCode::kInvalidField, "'" + std::string(key) + "' must be an RFC 3339 time")
        .With("field", std::string(key));
  return std::optional<core::Micros>(*t);
}

void CreateRound(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(places, IdArray(*body, "place_ids"));
  SWB_DECODE(pool, OptionalInt(*body, "pool_size"));
  SWB_DECODE(starts, OptionalTime(*body, "starts_at"));
  SWB_DECODE(ends, OptionalTime(*body, "ends_at"));
  service::NewRound in{*name, *places, static_cast<int>(pool->value_or(10)), *starts, *ends};
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    auto round = service::CreateRound(tx, app.env(), actor, in);
    if (!round) return ProblemReply(round.error());
    return JsonReply(201, json::value(RoundJson(*round)));
  });
}

std::optional<std::int64_t> IdParam(Request& req, Respond& respond, core::ErrorCode code,
                                    std::string_view what) {
  auto id = ParseId(req.Param("id"));
  if (!id) respond(ProblemReply(code, "no " + std::string(what) + " with id '" + req.Param("id") + "'"));
  return id;
}

void CloseRound(App& app, Request& req, Respond respond) {
  auto id = IdParam(req, respond, core::ErrorCode::kUnknownRound, "round");
  if (!id) return;
  app.Write(req, std::move(respond), [&app, id = *id](store::Tx& tx, const service::Actor& actor) {
    auto round = service::CloseRound(tx, app.env(), actor, id);
    if (!round) return ProblemReply(round.error());
    return JsonReply(200, json::value(RoundJson(*round)));
  });
}

void GetRound(App& app, Request& req, Respond respond) {
  auto id = IdParam(req, respond, core::ErrorCode::kUnknownRound, "round");
  if (!id) return;
  app.Read(req, std::move(respond), [id = *id](store::Connection& db, const service::Actor& actor) {
    auto round = service::GetRound(db, actor, id);
    if (!round) return ProblemReply(round.error());
    return JsonReply(200, json::value(RoundJson(*round)));
  });
}

void ListRounds(App& app, Request& req, Respond respond) {
  auto paging = ParsePaging(req, 50, 500);
  if (!paging) return respond(ProblemReply(paging.error()));
  auto status = req.Query("status");
  if (status && *status != "active" && *status != "closed")
    return respond(ProblemReply(core::Error(core::ErrorCode::kInvalidField, "status must be active or closed")
                                    .With("field", "status")));
  app.Read(req, std::move(respond), [status, cursor = paging->cursor, limit = paging->limit](
                                        store::Connection& db, const service::Actor& actor) {
    auto rounds = service::ListRounds(db, actor, status, cursor, limit + 1);
    if (!rounds) return ProblemReply(rounds.error());
    json::array out;
    for (std::size_t i = 0; i < rounds->size() && i < static_cast<std::size_t>(limit); ++i)
      out.emplace_back(RoundJson((*rounds)[i]));
    json::value next = rounds->size() > static_cast<std::size_t>(limit)
                           ? json::value(std::to_string((*rounds)[static_cast<std::size_t>(limit) - 1].id))
                           : json::value(nullptr);
    return JsonReply(200, json::value(json::object{{"rounds", std::move(out)}, {"next_cursor", next}}));
  });
}

void CreateSite(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(place, OptionalInt(*body, "place_id"));
  if (!*place)
    return respond(ProblemReply(core::Error(core::ErrorCode::kMissingField, "'place_id' is required")
                                    .With("field", "place_id")));
  app.Write(req, std::move(respond), [&app, name = *name, place = **place](
                                         store::Tx& tx, const service::Actor& actor) {
    auto site = service::CreateSite(tx, app.env(), actor, name, place);
    if (!site) return ProblemReply(site.error());
    return JsonReply(201, json::value(SiteJson(*site)));
  });
}

void ListSites(App& app, Request& req, Respond respond) {
  std::optional<std::int64_t> place;
  if (auto p = req.Query("place_id")) place = ParseId(*p).value_or(-1);
  auto paging = ParsePaging(req, 100, 1000);
  if (!paging) return respond(ProblemReply(paging.error()));
  app.Read(req, std::move(respond), [place, paging = *paging](store::Connection& db,
                                                             const service::Actor& actor) {
    auto sites = service::ListSites(db, actor, place);
    if (!sites) return ProblemReply(sites.error());
    // Sites come by id: the cursor is the last id of the page before.
    json::array out;
    json::value next = nullptr;
    for (const auto& s : *sites) {
      if (s.id <= paging.cursor) continue;
      if (out.size() == static_cast<std::size_t>(paging.limit)) {
        next = std::to_string(out.back().as_object().at("id").as_int64());
        break;
      }
      out.emplace_back(SiteJson(s));
    }
    return JsonReply(200, json::value(json::object{{"sites", std::move(out)}, {"next_cursor", next}}));
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
      return respond(ProblemReply(core::Error(core::ErrorCode::kMissingField,
                                              "'" + std::string(field) + "' is required")
                                      .With("field", field)));
  service::OpenTubeInput in{*barcode, **round, **site, std::nullopt, *purpose, *incident};
  if (*capacity) in.capacity = static_cast<int>(std::clamp<std::int64_t>(**capacity, -1, 1000));
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    auto tube = service::OpenTube(tx, app.env(), actor, in);
    if (!tube) return ProblemReply(tube.error());
    return JsonReply(201, json::value(TubeJson(*tube)));
  });
}

void AddSample(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(person, RequireString(*body, "person"));
  SWB_DECODE(name, OptionalString(*body, "name"));
  SWB_DECODE(repeat, OptionalBool(*body, "allow_repeat"));
  SWB_DECODE(reason, OptionalString(*body, "reason"));
  service::AddSampleInput in{*person, *name, repeat->value_or(false), *reason};
  app.Write(req, std::move(respond), [&app, in, barcode = req.Param("barcode")](
                                         store::Tx& tx, const service::Actor& actor) {
    auto added = service::AddSample(tx, app.env(), actor, barcode, in);
    if (!added) return ProblemReply(added.error());
    json::object o;
    o["id"] = added->id;
    o["person"] = PersonBriefJson(added->person);
    o["sampled_at"] = core::FormatRfc3339(added->sampled_at);
    o["tube"] = TubeJson(added->tube);
    return JsonReply(201, json::value(std::move(o)));
  });
}

void SealTube(App& app, Request& req, Respond respond) {
  app.Write(req, std::move(respond), [&app, barcode = req.Param("barcode")](
                                         store::Tx& tx, const service::Actor& actor) {
    auto tube = service::SealTube(tx, app.env(), actor, barcode);
    if (!tube) return ProblemReply(tube.error());
    return JsonReply(200, json::value(TubeJson(*tube)));
  });
}

void VoidSample(App& app, Request& req, Respond respond) {
  auto id = IdParam(req, respond, core::ErrorCode::kUnknownSample, "sample");
  if (!id) return;
  std::string reason;
  if (!req.body.empty()) {
    SWB_DECODE(body, ParseObject(req));
    SWB_DECODE(r, OptionalString(*body, "reason"));
    reason = r->value_or("");
  }
  app.Write(req, std::move(respond), [&app, id = *id, reason](store::Tx& tx,
                                                              const service::Actor& actor) {
    auto voided = service::VoidSample(tx, app.env(), actor, id, reason);
    if (!voided) return ProblemReply(voided.error());
    json::object o;
    o["id"] = voided->id;
    o["voided"] = true;
    o["reason"] = voided->reason;
    o["voided_at"] = core::FormatRfc3339(voided->voided_at);
    o["tube"] = TubeJson(voided->tube);
    return JsonReply(200, json::value(std::move(o)));
  });
}

void GetTube(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [barcode = req.Param("barcode")](store::Connection& db,
                                                                     const service::Actor& actor) {
    auto tube = service::GetTube(db, actor, barcode);
    if (!tube) return ProblemReply(tube.error());
    return JsonReply(200, json::value(TubeJson(*tube)));
  });
}

}  // namespace

void AddSamplingRoutes(Router& router, App& app) {
  auto bind = [&app](void (*fn)(App&, Request&, Respond)) {
    return [&app, fn](Request& req, Respond respond) { fn(app, req, std::move(respond)); };
  };
  router.Add("POST", "/api/v1/rounds", bind(CreateRound));
  router.Add("GET", "/api/v1/rounds", bind(ListRounds));
  router.Add("GET", "/api/v1/rounds/{id}", bind(GetRound));
  router.Add("POST", "/api/v1/rounds/{id}/close", bind(CloseRound));
  router.Add("POST", "/api/v1/sites", bind(CreateSite));
  router.Add("GET", "/api/v1/sites", bind(ListSites));
  router.Add("POST", "/api/v1/tubes", bind(OpenTube));
  router.Add("GET", "/api/v1/tubes/{barcode}", bind(GetTube));
  router.Add("POST", "/api/v1/tubes/{barcode}/samples", bind(AddSample));
  router.Add("POST", "/api/v1/tubes/{barcode}/seal", bind(SealTube));
  router.Add("POST", "/api/v1/samples/{id}/void", bind(VoidSample));
}

}  // namespace swabline::http
