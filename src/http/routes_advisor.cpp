// The pooling advisor: GET /rounds/{id}/advisor and the assay it assumes, GET and PUT
// /settings/assay (docs/openapi.yaml).

#include <cmath>

#include "http/decode.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"
#include "service/advisor.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::object AssayJson(const service::AssaySettings& a) {
  return json::object{
      {"sensitivity", a.sensitivity},
      {"specificity", a.specificity},
      {"max_pool_size", a.max_pool_size},
      {"updated_at", TimeJson(a.updated_at)},
      {"updated_by", a.updated_by.empty() ? json::value(nullptr) : json::value(a.updated_by)}};
}

json::value PrevalenceJson(const std::optional<core::PrevalenceEstimate>& p) {
  if (!p) return nullptr;
  return json::object{{"estimate", p->prevalence}, {"lower", p->lower},
                      {"upper", p->upper},         {"confidence", p->confidence},
                      {"pools", p->pools},         {"positive_pools", p->positive_pools},
                      {"people", p->people}};
}

json::value NextRoundJson(const std::optional<service::NextRound>& n) {
  if (!n) return nullptr;
  json::array options;
  for (const auto& o : n->options)
    options.emplace_back(json::object{{"pool_size", o.pool_size},
                                      {"tests_per_person", o.tests_per_person},
                                      {"tubes", o.tubes},
                                      {"retests", o.retests},
                                      {"kits", o.kits}});
  json::array zoned;
  for (const auto& z : n->zoned)
    zoned.emplace_back(json::object{{"pool_size", z.pool_size},
                                    {"people", z.people},
                                    {"tubes", z.tubes},
                                    {"retests", z.retests}});
  return json::object{{"people", n->people},
                      {"pool_size", n->pool_size},
                      {"tests_per_person", n->tests_per_person},
                      {"tubes", n->tubes},
                      {"retests", n->retests},
                      {"kits", n->kits},
                      {"zoned", std::move(zoned)},
                      {"options", std::move(options)}};
}

json::value AdvisorJson(const service::PoolingAdvisorView& v) {
  json::array pools;
  for (const auto& p : v.pools)
    pools.emplace_back(
        json::object{{"size", p.size}, {"tubes", p.tubes}, {"positive", p.positive}});
  return json::object{{"round_id", v.round_id},
                      {"place_id", v.place_id},
                      {"place_name", v.place_name},
                      {"assay", AssayJson(v.assay)},
                      {"pools", std::move(pools)},
                      {"prevalence", PrevalenceJson(v.prevalence)},
                      {"reason", v.reason.empty() ? json::value(nullptr) : json::value(v.reason)},
                      {"next_round", NextRoundJson(v.next_round)}};
}

void Advisor(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [round = *round, place = *place](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetPoolingAdvisor(db, actor, round, place), AdvisorJson);
           });
}

void GetAssay(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetAssaySettings(db, actor), AssayJson);
  });
}

void PutAssay(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(se, RequiredNumber(*body, "sensitivity"));
  SWB_DECODE(sp, RequiredNumber(*body, "specificity"));
  SWB_DECODE(max, RequiredNumber(*body, "max_pool_size"));
  if (!(std::abs(*max) <= 1e6) || *max != std::floor(*max))
    return respond(ProblemReply(
        core::Error(core::ErrorCode::kInvalidField, "max_pool_size must be a whole number")
            .With("field", "max_pool_size")));
  app.Write(req, std::move(respond),
            [&app, se = *se, sp = *sp, max = static_cast<int>(*max)](store::Tx& tx,
                                                                     const service::Actor& actor) {
              return Answer(200, service::PutAssaySettings(tx, app.env(), actor, se, sp, max),
                            AssayJson);
            });
}

}  // namespace

void AddAdvisorRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/rounds/{id}/advisor", Needs(core::Permission::kReadCoverage),
             bind(Advisor));
  router.Add("GET", "/api/v1/settings/assay", Needs(core::Permission::kReadCoverage),
             bind(GetAssay));
  router.Add("PUT", "/api/v1/settings/assay", Needs(core::Permission::kManageSettings),
             bind(PutAssay));
}

}  // namespace swabline::http
