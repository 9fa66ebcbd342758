#include <memory>

#include "core/lab_result.hpp"
#include "http/decode.hpp"
#include "http/json_text.hpp"
#include "http/results_json.hpp"
#include "http/routes.hpp"
#include "service/lab.hpp"
#include "service/transport.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

constexpr std::size_t kResultsBodyLimit = 64u << 20;  // 100,000 result rows with room to spare

json::array StringsJson(const std::vector<std::string>& items) {
  json::array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::object BoxJson(const service::BoxView& v) {
  json::object o;
  o["barcode"] = v.box.barcode;
  o["status"] = core::BoxStatusName(v.box.status);
  o["tubes"] = StringsJson(v.tubes);
  o["created_at"] = TimeJson(v.box.created_at);
  o["dispatched_at"] = TimeJson(v.box.dispatched_at);
  o["received_at"] = TimeJson(v.box.received_at);
  return o;
}

json::object DiscrepancyJson(const service::Discrepancy& d) {
  json::object o;
  o["id"] = d.id;
  o["box"] = d.box;
  o["tube"] = d.tube;
  o["kind"] = d.kind;
  o["created_at"] = TimeJson(d.created_at);
  o["resolved_at"] = TimeJson(d.resolved_at);
  o["resolution"] = d.resolution ? json::value(*d.resolution) : json::value(nullptr);
  return o;
}

json::object ReceiptJson(const service::ReceiptReport& r) {
  json::object o;
  o["box"] = r.box;
  o["received"] = StringsJson(r.received);
  o["missing"] = StringsJson(r.missing);
  o["unexpected"] = StringsJson(r.unexpected);
  return o;
}

json::value ResultsReportJson(const service::ResultsReport& r) {
  json::object o;
  o["accepted"] = r.accepted;
  o["recorded"] = r.recorded;
  o["corrected"] = r.corrected;
  o["unchanged"] = r.unchanged;
  o["upload_id"] = r.upload_id;
  json::array rejected;
  rejected.reserve(r.rejected.size());
  for (const auto& row : r.rejected)
    rejected.emplace_back(json::object{{"index", row.index},
                                       {"tube", row.tube},
                                       {"code", core::ErrorCodeName(row.code)},
                                       {"detail", row.detail}});
  o["rejected"] = std::move(rejected);
  return o;
}

json::value CtJson(std::optional<double> orf1ab, std::optional<double> n) {
  if (!orf1ab && !n) return nullptr;
  return json::object{{"orf1ab", orf1ab ? json::value(*orf1ab) : json::value(nullptr)},
                      {"n", n ? json::value(*n) : json::value(nullptr)}};
}

void CreateBox(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(barcode, RequireString(*body, "barcode"));
  app.Write(req, std::move(respond),
            [&app, barcode = *barcode](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::CreateBox(tx, app.env(), actor, barcode), BoxJson);
            });
}

void AddTubeToBox(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(tube, RequireString(*body, "tube"));
  app.Write(
      req, std::move(respond),
      [&app, box = req.Param("barcode"), tube = *tube](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::AddTubeToBox(tx, app.env(), actor, box, tube), BoxJson);
      });
}

void DispatchBox(App& app, Request& req, Respond respond) {
  app.Write(req, std::move(respond),
            [&app, box = req.Param("barcode")](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::DispatchBox(tx, app.env(), actor, box), BoxJson);
            });
}

void GetBox(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond),
           [box = req.Param("barcode")](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetBox(db, actor, box), BoxJson);
           });
}

void ReceiveBox(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(box, RequireString(*body, "box"));
  SWB_DECODE(tubes, StringArray(*body, "tubes"));
  app.Write(req, std::move(respond),
            [&app, box = *box, tubes = *tubes](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::ReceiveBox(tx, app.env(), actor, box, tubes),
                            ReceiptJson);
            });
}

void ListDiscrepancies(App& app, Request& req, Respond respond) {
  std::optional<bool> open;
  if (auto v = req.Query("open")) {
    if (*v == "true" || *v == "1" || *v == "yes")
      open = true;
    else if (*v == "false" || *v == "0" || *v == "no")
      open = false;
    else
      return respond(ProblemReply(core::ErrorCode::kInvalidField, "open must be true or false"));
  }
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [open, cursor = paging->cursor, limit = paging->limit](store::Connection& db,
                                                                  const service::Actor& actor) {
             return Answer(200, service::ListDiscrepancies(db, actor, open, cursor, limit),
                           [](const service::DiscrepancyPage& p) {
                             return PageJson("discrepancies", p.discrepancies, p.next_cursor,
                                             DiscrepancyJson);
                           });
           });
}

void ResolveDiscrepancy(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownDiscrepancy, "discrepancy"));
  std::string resolution;
  if (!req.body.empty()) {
    SWB_DECODE(body, ParseObject(req));
    SWB_DECODE(r, OptionalString(*body, "resolution"));
    resolution = r->value_or("");
  }
  app.Write(req, std::move(respond),
            [&app, id = *id, resolution](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::ResolveDiscrepancy(tx, app.env(), actor, id, resolution),
                            DiscrepancyJson);
            });
}

void UploadResults(App& app, Request& req, Respond respond) {
  // Decoded here, on the IO thread, so that the writer spends its time on the database only.
  SWB_DECODE(decoded, req.IsCsv() ? service::ResultRowsFromCsv(req.body) : ResultRowsFromJson(req));
  auto rows = std::make_shared<std::vector<service::UploadedResult>>(std::move(*decoded));
  app.Write(req, std::move(respond), [&app, rows](store::Tx& tx, const service::Actor& actor) {
    return Answer(200, service::UploadResults(tx, app.env(), actor, *rows), ResultsReportJson);
  });
}

json::object ResultHistoryJson(const std::string& barcode,
                               const std::vector<service::RecordedResult>& history) {
  json::array items;
  for (const auto& r : history)
    items.emplace_back(json::object{
        {"id", r.id},
        {"result", r.result},
        {"ct", CtJson(r.ct_orf1ab, r.ct_n)},
        {"correction_reason",
         r.correction_reason ? json::value(*r.correction_reason) : json::value(nullptr)},
        {"recorded_at", core::FormatRfc3339(r.recorded_at)},
        {"recorded_by", r.recorded_by},
        {"upload_id", r.upload_id ? json::value(*r.upload_id) : json::value(nullptr)}});
  return json::object{{"tube", barcode}, {"results", std::move(items)}};
}

void GetResultHistory(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond),
           [barcode = req.Param("barcode")](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetResultHistory(db, actor, barcode),
                           [&barcode](const std::vector<service::RecordedResult>& history) {
                             return ResultHistoryJson(barcode, history);
                           });
           });
}

}  // namespace

void AddTransportRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/boxes", Needs(core::Permission::kTransport), bind(CreateBox));
  router.Add("GET", "/api/v1/boxes/{barcode}", Needs(core::Permission::kReadTubes), bind(GetBox));
  router.Add("POST", "/api/v1/boxes/{barcode}/tubes", Needs(core::Permission::kTransport),
             bind(AddTubeToBox));
  router.Add("POST", "/api/v1/boxes/{barcode}/dispatch", Needs(core::Permission::kTransport),
             bind(DispatchBox));
  router.Add("POST", "/api/v1/lab/receipts", Needs(core::Permission::kLab), bind(ReceiveBox));
  router.Add("GET", "/api/v1/lab/discrepancies", Needs(core::Permission::kReadTubes),
             bind(ListDiscrepancies));
  router.Add("POST", "/api/v1/lab/discrepancies/{id}/resolve", Needs(core::Permission::kLab),
             bind(ResolveDiscrepancy));
  router.Add("POST", "/api/v1/lab/results", Needs(core::Permission::kLab), bind(UploadResults),
             kResultsBodyLimit);
  router.Add("GET", "/api/v1/tubes/{barcode}/results", Needs(core::Permission::kReadTubes),
             bind(GetResultHistory));
}

}  // namespace swabline::http
