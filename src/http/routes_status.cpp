#include "core/csv.hpp"
#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/routes.hpp"
#include "http/xlsx.hpp"
#include "service/coverage.hpp"
#include "service/reports.hpp"
#include "service/status.hpp"
#include "service/turnaround.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::value OptNumber(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }

json::value StatusJson(const service::PersonStatusView& v) {
  json::object o;
  o["person"] = PersonBriefJson(v.person);
  o["color"] = core::ColorName(v.status.color);
  o["state"] = core::PersonStateName(v.status.state);
  json::array reasons;
  for (const auto& r : v.status.reasons)
    reasons.emplace_back(json::object{{"code", r.code}, {"detail", r.detail}});
  o["reasons"] = std::move(reasons);
  if (v.latest) {
    o["latest"] = json::object{{"round_id", v.latest->round_id},
                               {"tube", v.latest->tube},
                               {"sampled_at", core::FormatRfc3339(v.latest->sampled_at)},
                               {"result", v.latest->result ? json::value(*v.latest->result)
                                                           : json::value(nullptr)}};
  } else {
    o["latest"] = json::object{{"round_id", v.latest_round_id ? json::value(*v.latest_round_id)
                                                               : json::value(nullptr)},
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

std::optional<std::int64_t> OptionalPlace(const Request& req, bool& bad) {
  auto p = req.Query("place_id");
  if (!p || p->empty()) return std::nullopt;
  auto id = ParseId(*p);
  bad = !id;
  return id;
}

// A status is a few index look-ups: read at once on this thread (App::ReadNow).
void PersonStatus(App& app, Request& req, Respond respond) {
  const std::string& person = req.Param("person");
  app.ReadNow(req, std::move(respond),
              [&app, &person](store::Connection& db, const service::Actor& actor) {
                auto v = service::GetPersonStatus(db, app.env(), actor, person);
                if (!v) return ProblemReply(v.error());
                return JsonReply(200, StatusJson(*v));
              });
}

void StatusByCode(App& app, Request& req, Respond respond) {
  auto code = req.Query("code");
  if (!code || code->empty())
    return respond(ProblemReply(core::Error(core::ErrorCode::kMissingField, "send ?code=<personal code>")
                                    .With("field", "code")));
  app.ReadPublicNow(std::move(respond), [&app, &code](store::Connection& db) {
    auto v = service::GetStatusByCode(db, app.env(), *code);
    if (!v) return ProblemReply(v.error());
    return JsonReply(200, StatusJson(*v));
  });
}

void Coverage(App& app, Request& req, Respond respond) {
  auto round = ParseId(req.Param("id"));
  if (!round) return respond(ProblemReply(core::ErrorCode::kUnknownRound, "no round with id '" + req.Param("id") + "'"));
  bool bad = false;
  auto place = OptionalPlace(req, bad);
  if (bad) return respond(ProblemReply(core::ErrorCode::kUnknownPlace, "no place with that id"));
  app.Read(req, std::move(respond), [round = *round, place](store::Connection& db,
                                                            const service::Actor& actor) {
    auto c = service::GetCoverage(db, actor, round, place);
    if (!c) return ProblemReply(c.error());
    json::object o = CountsJson(c->total, false);
    json::array children;
    for (const auto& ch : c->children) children.emplace_back(CountsJson(ch, true));
    o["children"] = std::move(children);
    return JsonReply(200, json::value(std::move(o)));
  });
}

std::string Tags(const core::Resident& r) {
  std::string t;
  for (const auto& tag : r.tags) t += (t.empty() ? "" : ";") + tag;
  return t;
}

void Missing(App& app, Request& req, Respond respond) {
  auto round = ParseId(req.Param("id"));
  if (!round) return respond(ProblemReply(core::ErrorCode::kUnknownRound, "no round with id '" + req.Param("id") + "'"));
  bool bad = false;
  auto place = OptionalPlace(req, bad);
  if (bad) return respond(ProblemReply(core::ErrorCode::kUnknownPlace, "no place with that id"));
  enum class Format { kJson, kCsv, kXlsx };
  Format format = Format::kJson;
  if (req.WantsCsv()) format = Format::kCsv;
  if (req.accept.find("spreadsheetml") != std::string::npos || req.Query("format") == "xlsx")
    format = Format::kXlsx;
  auto paging = ParsePaging(req, 500, 5000);
  if (!paging) return respond(ProblemReply(paging.error()));
  const std::int64_t cursor = paging->cursor;
  const int limit = format == Format::kJson ? paging->limit : 0;  // exports carry everyone
  app.Read(req, std::move(respond), [round = *round, place, format, cursor, limit](
                                        store::Connection& db, const service::Actor& actor) {
    auto page = service::ListMissing(db, actor, round, place, cursor, limit);
    if (!page) return ProblemReply(page.error());
    if (format == Format::kJson) {
      json::array people;
      for (const auto& r : page->people) {
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
      o["total"] = page->total;
      o["next_cursor"] = page->next_cursor ? json::value(std::to_string(*page->next_cursor))
                                           : json::value(nullptr);
      return JsonReply(200, json::value(std::move(o)));
    }
    const std::vector<std::string> header = {"id", "name", "id_number_masked", "phone", "address", "tags"};
    std::vector<std::vector<std::string>> rows;
    rows.reserve(page->people.size());
    for (const auto& r : page->people)
      rows.push_back({std::to_string(r.id), r.name, r.id_number_masked, r.phone, r.address, Tags(r)});
    Reply reply;
    const std::string file = "missing-round-" + std::to_string(round);
    if (format == Format::kCsv) {
      reply.content_type = "text/csv; charset=utf-8";
      reply.body = "id,name,id_number_masked,phone,address,tags\n";
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i) reply.body += ',';
          reply.body += core::CsvEscape(row[i]);
        }
        reply.body += '\n';
      }
      reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + ".csv\"");
    } else {
      reply.content_type = kXlsxType;
      reply.body = XlsxTable("missing", header, rows);
      reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + ".xlsx\"");
    }
    return reply;
  });
}

void TurnaroundOf(App& app, Request& req, Respond respond) {
  auto round = ParseId(req.Param("id"));
  if (!round) return respond(ProblemReply(core::ErrorCode::kUnknownRound, "no round with id '" + req.Param("id") + "'"));
  double limit = 12;
  if (auto l = req.Query("limit_hours")) {
    try {
      limit = std::stod(*l);
      if (!(limit >= 0)) throw std::invalid_argument("negative");
    } catch (const std::exception&) {
      return respond(ProblemReply(core::Error(core::ErrorCode::kInvalidField, "limit_hours must be a number of hours, 0 or more")
                                      .With("field", "limit_hours")));
    }
  }
  app.Read(req, std::move(respond), [&app, round = *round, limit](store::Connection& db,
                                                                  const service::Actor& actor) {
    auto t = service::GetTurnaround(db, app.env(), actor, round, limit);
    if (!t) return ProblemReply(t.error());
    json::object o;
    o["round_id"] = t->round_id;
    o["tubes"] = t->tubes;
    o["resulted"] = t->resulted;
    o["median_hours"] = OptNumber(t->median_hours);
    o["p95_hours"] = OptNumber(t->p95_hours);
    o["legs"] = json::object{{"sample_to_seal_hours", OptNumber(t->sample_to_seal_hours)},
                             {"seal_to_dispatch_hours", OptNumber(t->seal_to_dispatch_hours)},
                             {"dispatch_to_receipt_hours", OptNumber(t->dispatch_to_receipt_hours)},
                             {"receipt_to_result_hours", OptNumber(t->receipt_to_result_hours)}};
    o["limit_hours"] = t->limit_hours;
    json::array overdue;
    for (const auto& od : t->overdue)
      overdue.emplace_back(json::object{{"barcode", od.barcode},
                                        {"status", od.status},
                                        {"first_sample_at", core::FormatRfc3339(od.first_sample_at)},
                                        {"hours", od.hours}});
    o["overdue"] = std::move(overdue);
    return JsonReply(200, json::value(std::move(o)));
  });
}

void Report(App& app, Request& req, Respond respond) {
  auto body = ParseObject(req);
  if (!body) return respond(ProblemReply(body.error()));
  auto person = RequireString(*body, "person");
  if (!person) return respond(ProblemReply(person.error()));
  auto kind = RequireString(*body, "kind");
  if (!kind) return respond(ProblemReply(kind.error()));
  app.Write(req, std::move(respond), [&app, person = *person, kind = *kind](
                                         store::Tx& tx, const service::Actor& actor) {
    auto incident = service::ReportAntigenPositive(tx, app.env(), actor, person, kind);
    if (!incident) return ProblemReply(incident.error());
    json::array people;
    for (auto id : incident->people) people.emplace_back(id);
    json::object o;
    o["id"] = incident->id;
    o["kind"] = incident->kind;
    o["status"] = incident->status;
    o["tube"] = incident->tube ? json::value(*incident->tube) : json::value(nullptr);
    o["people"] = std::move(people);
    o["zones"] = json::array();
    o["opened_at"] = core::FormatRfc3339(incident->opened_at);
    o["closed_at"] = TimeJson(incident->closed_at);
    return JsonReply(201, json::value(std::move(o)));
  });
}

}  // namespace

void AddStatusRoutes(Router& router, App& app) {
  auto bind = [&app](void (*fn)(App&, Request&, Respond)) {
    return [&app, fn](Request& req, Respond respond) { fn(app, req, std::move(respond)); };
  };
  router.Add("GET", "/api/v1/people/{person}/status", bind(PersonStatus));
  router.AddPublic("GET", "/api/v1/status", bind(StatusByCode));
  router.Add("GET", "/api/v1/rounds/{id}/coverage", bind(Coverage));
  router.Add("GET", "/api/v1/rounds/{id}/missing", bind(Missing));
  router.Add("GET", "/api/v1/rounds/{id}/turnaround", bind(TurnaroundOf));
  router.Add("POST", "/api/v1/reports", bind(Report));
}

}  // namespace swabline::http
