#include "http/decode.hpp"
#include "http/exports.hpp"
#include "http/routes.hpp"
#include "service/coverage.hpp"
#include "service/status.hpp"
#include "service/turnaround.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::value OptNumber(std::optional<double> v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value StatusJson(const service::PersonStatusView& v) {
  json::object o;
  o["person"] = PersonBriefJson(v.person);
  o["color"] = core::ColorName(v.status.color);
  o["state"] = core::PersonStateName(v.status.state);
  json::array reasons;
  for (const auto& r : v.status.reasons)
    reasons.emplace_back(json::object{{"code", r.code}, {"detail", r.detail}});
  o["reasons"] = std::move(reasons);
  json::array home;
  for (std::int64_t id : v.home_place_ids) home.emplace_back(id);
  o["home_place_ids"] = std::move(home);
  if (v.latest) {
    o["latest"] = json::object{
        {"round_id", v.latest->round_id},
        {"tube", v.latest->tube},
        {"sampled_at", core::FormatRfc3339(v.latest->sampled_at)},
        {"result", v.latest->result ? json::value(core::TubeResultName(*v.latest->result))
                                    : json::value(nullptr)}};
  } else {
    o["latest"] = json::object{
        {"round_id", v.latest_round_id ? json::value(*v.latest_round_id) : json::value(nullptr)},
        {"tube", nullptr},
        {"sampled_at", nullptr},
        {"result", nullptr}};
  }
  return o;
}

json::object CountsJson(const service::CoverageCounts& c, bool with_name) {
  json::object o;
  o["place_id"] = c.place_id;
  if (with_name) o["name"] = c.name;
  o["expected"] = c.expected;
  o["sampled"] = c.sampled;
  o["resulted"] = c.resulted;
  o["positive"] = c.positive;
  return o;
}

// A status is a few index look-ups: read at once on this thread (App::ReadNow). `respond` is
// taken by value because that is the router's handler type, though it is only called here.
void PersonStatus(App& app, Request& req,
                  Respond respond) {  // NOLINT(performance-unnecessary-value-param)
  const std::string& person = req.Param("person");
  app.ReadNow(req, respond, [&app, &person](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetPersonStatus(db, app.env(), actor, person), StatusJson);
  });
}

void StatusByCode(App& app, Request& req,
                  Respond respond) {  // NOLINT(performance-unnecessary-value-param)
  auto code = req.Query("code");
  if (!code || code->empty())
    return respond(
        ProblemReply(core::Error(core::ErrorCode::kMissingField, "send ?code=<personal code>")
                         .With("field", "code")));
  // Public: without a limit, a way to try forged or guessed codes by the million.
  if (!app.TakeCodeLookup(req, respond)) return;
  app.ReadPublicNow(respond, [&app, &code](store::Connection& db) {
    return Answer(200, service::GetStatusByCode(db, app.env(), *code), StatusJson);
  });
}

json::value CoverageJson(const service::Coverage& c) {
  json::object o = CountsJson(c.total, false);
  json::array children;
  for (const auto& ch : c.children) children.emplace_back(CountsJson(ch, true));
  o["children"] = std::move(children);
  return o;
}

void Coverage(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [round = *round, place = *place](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetCoverage(db, actor, round, place), CoverageJson);
           });
}

json::value MissingJson(const service::MissingPage& page) {
  json::array people;
  for (const auto& r : page.people) {
    json::array tags;
    for (const auto& t : r.tags) tags.emplace_back(t);
    people.emplace_back(json::object{{"id", r.id},
                                     {"name", r.name},
                                     {"id_number_masked", r.id_number_masked},
                                     {"phone", r.phone},
                                     {"address", r.address},
                                     {"tags", std::move(tags)}});
  }
  json::object o;
  o["people"] = std::move(people);
  o["total"] = page.total;
  o["next_cursor"] = CursorJson(page.next_cursor);
  return o;
}

void Missing(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  const ExportFormat format = WantedFormat(req);
  SWB_DECODE(paging, ParsePaging(req, 500, 5000));
  const std::int64_t cursor = paging->cursor;
  const int limit = format == ExportFormat::kJson ? paging->limit : 0;  // exports carry everyone
  app.Read(req, std::move(respond),
           [round = *round, place = *place, format, cursor, limit](store::Connection& db,
                                                                   const service::Actor& actor) {
             auto page = service::ListMissing(db, actor, round, place, cursor, limit);
             if (!page || format == ExportFormat::kJson) return Answer(200, page, MissingJson);
             return ExportReply(format, "missing-round-" + std::to_string(round), "missing",
                                MissingTable(*page));
           });
}

json::value TurnaroundJson(const service::Turnaround& t) {
  json::object o;
  o["round_id"] = t.round_id;
  o["tubes"] = t.tubes;
  o["resulted"] = t.resulted;
  o["median_hours"] = OptNumber(t.median_hours);
  o["p95_hours"] = OptNumber(t.p95_hours);
  o["legs"] = json::object{{"sample_to_seal_hours", OptNumber(t.sample_to_seal_hours)},
                           {"seal_to_dispatch_hours", OptNumber(t.seal_to_dispatch_hours)},
                           {"dispatch_to_receipt_hours", OptNumber(t.dispatch_to_receipt_hours)},
                           {"receipt_to_result_hours", OptNumber(t.receipt_to_result_hours)}};
  o["limit_hours"] = t.limit_hours;
  json::array overdue;
  for (const auto& od : t.overdue)
    overdue.emplace_back(json::object{{"barcode", od.barcode},
                                      {"status", core::TubeStatusName(od.status)},
                                      {"first_sample_at", core::FormatRfc3339(od.first_sample_at)},
                                      {"hours", od.hours}});
  o["overdue"] = std::move(overdue);
  return o;
}

void TurnaroundOf(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  double limit = 12;
  if (auto l = req.Query("limit_hours")) {
    try {
      limit = std::stod(*l);
      if (!(limit >= 0)) throw std::invalid_argument("negative");
    } catch (const std::exception&) {
      return respond(ProblemReply(core::Error(core::ErrorCode::kInvalidField,
                                              "limit_hours must be a number of hours, 0 or more")
                                      .With("field", "limit_hours")));
    }
  }
  app.Read(req, std::move(respond),
           [&app, round = *round, limit](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetTurnaround(db, app.env(), actor, round, limit),
                           TurnaroundJson);
           });
}

}  // namespace

void AddStatusRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/people/{person}/status", Needs(core::Permission::kReadStatus),
             bind(PersonStatus));
  router.Add("GET", "/api/v1/status", Public(), bind(StatusByCode));
  router.Add("GET", "/api/v1/rounds/{id}/coverage", Needs(core::Permission::kReadCoverage),
             bind(Coverage));
  router.Add("GET", "/api/v1/rounds/{id}/missing", Needs(core::Permission::kReadCoverage),
             bind(Missing));
  router.Add("GET", "/api/v1/rounds/{id}/turnaround", Needs(core::Permission::kReadCoverage),
             bind(TurnaroundOf));
}

}  // namespace swabline::http
