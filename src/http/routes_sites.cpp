// Sampling sites and their queues, the round plan and the sampling rates (docs/openapi.yaml,
// Sites and queues). The site list and a site's queue answer without a token.

#include <charconv>
#include <cmath>

#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/planning.hpp"
#include "service/sites.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

core::Error HoursShape(std::size_t index, const std::string& detail) {
  return core::Error(core::ErrorCode::kInvalidHours,
                     "hours[" + std::to_string(index) + "]: " + detail)
      .With("field", "hours")
      .With("index", std::to_string(index))
      .With("reason", "format");
}

/// `hours`: absent, or an array of {"from","to"} strings (their values are core's to judge).
core::Result<std::vector<core::HoursText>> HoursMember(const json::object& o) {
  std::vector<core::HoursText> out;
  const json::value* v = o.if_contains("hours");
  if (!v || v->is_null()) return out;
  if (!v->is_array())
    return core::Fail(core::ErrorCode::kInvalidHours, "hours must be an array of {from, to}")
        .With("field", "hours")
        .With("reason", "format");
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& span = v->as_array()[i];
    const json::object* span_object = span.if_object();
    if (!span_object) return HoursShape(i, "must be an object {from, to}");
    const json::value* from = span_object->if_contains("from");
    const json::value* to = span_object->if_contains("to");
    if (!from || !to || !from->is_string() || !to->is_string())
      return HoursShape(i, "from and to are HH:MM strings");
    out.push_back({std::string(from->as_string()), std::string(to->as_string())});
  }
  return out;
}

/// `lanes`: absent, or an array of strings.
core::Result<std::vector<std::string>> LanesMember(const json::object& o) {
  const json::value* v = o.if_contains("lanes");
  if (!v || v->is_null()) return std::vector<std::string>{};
  return StringArray(o, "lanes");
}

void CreateSite(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(place, OptionalInt(*body, "place_id"));
  if (!*place)
    return respond(
        ProblemReply(core::Error(core::ErrorCode::kMissingField, "'place_id' is required")
                         .With("field", "place_id")));
  SWB_DECODE(hours, HoursMember(*body));
  SWB_DECODE(lanes, LanesMember(*body));
  service::NewSite in{*name, **place, *hours, *lanes};
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    return Answer(201, service::CreateSite(tx, app.env(), actor, in), SiteJson);
  });
}

json::object SitePageJson(const service::SitePage& p) {
  return PageJson("sites", p.sites, p.next_cursor, SiteJson);
}

/// With a token, the user's list (their places by default, 403 outside them); without one,
/// anyone's: every site under the place, or everywhere.
void ListSites(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  if (!req.BearerToken().empty())
    return app.Read(
        req, std::move(respond),
        [place = *place, paging = *paging](store::Connection& db, const service::Actor& actor) {
          return Answer(200, service::ListSites(db, actor, place, paging.cursor, paging.limit),
                        SitePageJson);
        });
  app.ReadPublic(std::move(respond), [place = *place, paging = *paging](store::Connection& db) {
    return Answer(200, service::ListPublicSites(db, place, paging.cursor, paging.limit),
                  SitePageJson);
  });
}

json::object QueueJson(const service::SiteQueue& q) {
  json::array lanes;
  for (const auto& l : q.lanes)
    lanes.emplace_back(json::object{
        {"lane", core::LaneName(l.lane)},
        {"waiting", l.waiting},
        {"estimated_wait_minutes", l.minutes ? json::value(*l.minutes) : json::value(nullptr)}});
  return json::object{{"site_id", q.site_id},
                      {"open_now", q.open_now},
                      {"lanes", std::move(lanes)},
                      {"samples_last_hour", q.samples_last_hour},
                      {"collectors", q.collectors},
                      {"rate_per_hour", std::round(q.rate_per_hour * 10) / 10},
                      {"rate_source", service::RateSourceName(q.rate_source)},
                      {"window_minutes", q.window_minutes}};
}

void GetQueue(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownSite, "site"));
  app.ReadPublic(std::move(respond), [&app, id = *id](store::Connection& db) {
    return Answer(200, service::GetSiteQueue(db, app.env(), id), QueueJson);
  });
}

void CountQueue(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownSite, "site"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(lane, RequireString(*body, "lane"));
  SWB_DECODE(delta, OptionalInt(*body, "delta"));
  if (!*delta)
    return respond(ProblemReply(
        core::Error(core::ErrorCode::kMissingField, "'delta' is required").With("field", "delta")));
  app.Write(
      req, std::move(respond),
      [&app, id = *id, lane = *lane, delta = **delta](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::CountQueue(tx, app.env(), actor, id, lane, delta), QueueJson);
      });
}

void PutCollectors(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownSite, "site"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(count, OptionalInt(*body, "count"));
  if (!*count)
    return respond(ProblemReply(
        core::Error(core::ErrorCode::kMissingField, "'count' is required").With("field", "count")));
  app.Write(req, std::move(respond),
            [&app, id = *id, count = **count](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::SetCollectors(tx, app.env(), actor, id, count),
                            QueueJson);
            });
}

json::object RatesJson(const service::SamplingRates& r) {
  return json::object{
      {"swabs_per_hour_at_10", r.swabs_per_hour_at_10},
      {"seconds_per_tube", r.seconds_per_tube},
      {"residents_per_site", r.residents_per_site},
      {"collectors_per_site", r.collectors_per_site},
      {"updated_at", TimeJson(r.updated_at)},
      {"updated_by", r.updated_by.empty() ? json::value(nullptr) : json::value(r.updated_by)}};
}

json::object PlanRowJson(const service::PlanRow& r) {
  return json::object{{"place_id", r.place_id},         {"name", r.name},
                      {"residents", r.residents},       {"sampled", r.sampled},
                      {"remaining", r.remaining},       {"collectors_needed", r.collectors_needed},
                      {"sites_needed", r.sites_needed}, {"sites", r.sites},
                      {"collectors", r.collectors}};
}

json::object PlanJson(const service::RoundPlan& p) {
  json::array places;
  for (const auto& r : p.places) places.emplace_back(PlanRowJson(r));
  json::object total = PlanRowJson(p.total);
  total.erase("place_id");
  total.erase("name");
  return json::object{
      {"round_id", p.round_id},
      {"hours", p.hours},
      {"pool_size", p.pool_size},
      {"swabs_per_collector_hour", std::round(p.swabs_per_collector_hour * 10) / 10},
      {"rates", RatesJson(p.rates)},
      {"places", std::move(places)},
      {"total", std::move(total)}};
}

/// `?hours=`: a number, 8 when absent; kInvalidField when not a number.
core::Result<double> HoursQuery(const Request& req) {
  auto text = req.Query("hours");
  if (!text || text->empty()) return 8.0;
  double v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size())
    return core::Fail(core::ErrorCode::kInvalidField, "hours must be a number")
        .With("field", "hours");
  return v;
}

void Plan(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  SWB_DECODE(hours, HoursQuery(req));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [round = *round, hours = *hours, place = *place](store::Connection& db,
                                                            const service::Actor& actor) {
             return Answer(200, service::PlanRound(db, actor, round, hours, place), PlanJson);
           });
}

void GetRates(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetSamplingRates(db, actor), RatesJson);
  });
}

/// A required whole-number member.
core::Result<std::int64_t> WholeMember(const json::object& o, std::string_view key) {
  double v = 0;
  SWB_TRY_ASSIGN(v, RequiredNumber(o, key));
  if (!(std::abs(v) <= 1e9) || v != std::floor(v))
    return core::Fail(core::ErrorCode::kInvalidField, std::string(key) + " must be a whole number")
        .With("field", std::string(key));
  return static_cast<std::int64_t>(v);
}

void PutRates(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(rate, RequiredNumber(*body, "swabs_per_hour_at_10"));
  SWB_DECODE(tube, RequiredNumber(*body, "seconds_per_tube"));
  SWB_DECODE(residents, WholeMember(*body, "residents_per_site"));
  SWB_DECODE(collectors, WholeMember(*body, "collectors_per_site"));
  service::SamplingRates in;
  in.swabs_per_hour_at_10 = *rate;
  in.seconds_per_tube = *tube;
  in.residents_per_site = *residents;
  in.collectors_per_site = *collectors;
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    return Answer(200, service::PutSamplingRates(tx, app.env(), actor, in), RatesJson);
  });
}

}  // namespace

void AddSiteRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/sites", Needs(core::Permission::kManageSites), bind(CreateSite));
  router.Add("GET", "/api/v1/sites", Public(), bind(ListSites));
  router.Add("GET", "/api/v1/sites/{id}/queue", Public(), bind(GetQueue));
  router.Add("POST", "/api/v1/sites/{id}/queue", Needs(core::Permission::kCountQueue),
             bind(CountQueue));
  router.Add("PUT", "/api/v1/sites/{id}/collectors", Needs(core::Permission::kCountQueue),
             bind(PutCollectors));
  router.Add("GET", "/api/v1/rounds/{id}/plan", Needs(core::Permission::kReadCoverage), bind(Plan));
  router.Add("GET", "/api/v1/settings/sampling-rates", Needs(core::Permission::kReadCoverage),
             bind(GetRates));
  router.Add("PUT", "/api/v1/settings/sampling-rates", Needs(core::Permission::kManageSettings),
             bind(PutRates));
}

}  // namespace swabline::http
