#include "http/decode.hpp"
#include "http/routes.hpp"
#include "http/xlsx.hpp"
#include "service/registry.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

constexpr std::size_t kImportBodyLimit = 256u << 20;  // a district's registry in one file

json::value ImportJson(const service::ImportReport& r) {
  json::object o;
  o["created"] = r.created;
  o["updated"] = r.updated;
  json::array rejected;
  rejected.reserve(r.rejected.size());
  for (const auto& row : r.rejected)
    rejected.emplace_back(
        json::object{{"line", row.line}, {"code", row.code}, {"detail", row.detail}});
  o["rejected"] = std::move(rejected);
  o["encoding"] = r.encoding;
  return o;
}

void ImportResidents(App& app, Request& req, Respond respond) {
  if (!req.IsCsv() && !req.IsXlsx())
    return respond(ProblemReply(
        core::ErrorCode::kUnsupportedMediaType,
        "send the residents as text/csv or as an .xlsx workbook (" + std::string(kXlsxType) + ")"));
  const auto format = req.IsXlsx() ? service::RosterFormat::kXlsx : service::RosterFormat::kCsv;
  // A copy, not a move: the Idempotency-Key fingerprint covers the body too.
  auto file = std::make_shared<std::string>(req.body);
  app.Write(req, std::move(respond),
            [&app, file, format](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::ImportResidents(tx, app.env(), actor, *file, format),
                            ImportJson);
            });
}

void FindPlace(App& app, Request& req, Respond respond) {
  auto path = req.Query("path");
  app.Read(req, std::move(respond), [path](store::Connection& db, const service::Actor& actor) {
    if (!path)
      return Answer(200, service::TopPlaces(db, actor), [](const std::vector<core::Place>& top) {
        json::array places;
        for (const auto& p : top) places.emplace_back(PlaceJson(p));
        return json::object{{"places", std::move(places)}};
      });
    return Answer(200, service::FindPlaceAt(db, actor, *path), PlaceJson);
  });
}

json::object PlaceWithChildrenJson(const service::PlaceWithChildren& place) {
  json::object o = PlaceJson(place.place);
  json::array children;
  for (const auto& c : place.children) children.emplace_back(PlaceJson(c));
  o["children"] = std::move(children);
  json::array ancestors;
  for (const auto& a : place.ancestors) ancestors.emplace_back(PlaceJson(a));
  o["ancestors"] = std::move(ancestors);
  return o;
}

void GetPlace(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond), [id = *id](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetPlace(db, actor, id), PlaceWithChildrenJson);
  });
}

void GetResident(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownResident, "resident"));
  if (req.QueryFlag("reveal")) {
    // Revealing is audited, and the audit record must commit with it: a write.
    return app.Write(
        req, std::move(respond), [&app, id = *id](store::Tx& tx, const service::Actor& actor) {
          return Answer(200, service::RevealResident(tx, app.env(), actor, id), ResidentJson);
        });
  }
  app.Read(req, std::move(respond),
           [&app, id = *id](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetResident(db, app.env(), actor, id), ResidentJson);
           });
}

void ListResidents(App& app, Request& req, Respond respond) {
  SWB_DECODE(place_id, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [&app, place_id = *place_id, q = req.Query("q").value_or(""), cursor = paging->cursor,
            limit = paging->limit](store::Connection& db, const service::Actor& actor) {
             return Answer(200,
                           service::ListResidents(db, app.env(), actor, place_id, q, cursor, limit),
                           [](const service::ResidentPage& p) {
                             return PageJson("residents", p.residents, p.next_cursor, ResidentJson);
                           });
           });
}

}  // namespace

void AddRegistryRoutes(Router& router, App& app) {
  router.Add(
      "POST", "/api/v1/residents/import", Needs(core::Permission::kWriteRegistry),
      [&app](Request& req, Respond respond) { ImportResidents(app, req, std::move(respond)); },
      kImportBodyLimit);
  router.Add("GET", "/api/v1/places", Needs(core::Permission::kReadPlaces),
             [&app](Request& req, Respond respond) { FindPlace(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/places/{id}", Needs(core::Permission::kReadPlaces),
             [&app](Request& req, Respond respond) { GetPlace(app, req, std::move(respond)); });
  router.Add(
      "GET", "/api/v1/residents", Needs(core::Permission::kReadResidents),
      [&app](Request& req, Respond respond) { ListResidents(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/residents/{id}", Needs(core::Permission::kReadResidents),
             [&app](Request& req, Respond respond) { GetResident(app, req, std::move(respond)); });
}

}  // namespace swabline::http
