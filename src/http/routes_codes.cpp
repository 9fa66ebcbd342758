#include <charconv>

#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/code_sheet.hpp"
#include "service/personal_code.hpp"
#include "service/qr.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

constexpr int kQrModulePx = 8;

/// An SVG reply that no cache keeps: a reissue must make the old image disappear too.
Reply SvgReply(std::string svg, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Reply reply;
  reply.content_type = "image/svg+xml";
  reply.body = std::move(svg);
  reply.headers = std::move(headers);
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

json::object CodeJson(const std::string& code) { return json::object{{"code", code}}; }

void GetCode(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownResident, "resident"));
  app.Read(req, std::move(respond),
           [&app, id = *id](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetPersonalCode(db, app.env(), actor, id), CodeJson);
           });
}

void GetCodeSvg(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownResident, "resident"));
  app.Read(req, std::move(respond),
           [&app, id = *id](store::Connection& db, const service::Actor& actor) {
             return Answer(service::GetPersonalCode(db, app.env(), actor, id),
                           [](const std::string& code) {
                             return SvgReply(service::QrSvg(code, kQrModulePx));
                           });
           });
}

void ReissueCode(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownResident, "resident"));
  app.Write(req, std::move(respond), [&app, id = *id](store::Tx& tx, const service::Actor& actor) {
    return Answer(200, service::ReissuePersonalCode(tx, app.env(), actor, id), CodeJson);
  });
}

void GetCodeSheet(App& app, Request& req, Respond respond) {
  SWB_DECODE(place_id, PathId(req, core::ErrorCode::kUnknownPlace, "place"));
  int page = 1;
  if (auto p = req.Query("page")) {
    const char* end = p->data() + p->size();
    auto [ptr, ec] = std::from_chars(p->data(), end, page);
    if (ec != std::errc() || ptr != end || page < 1)
      return respond(ProblemReply(core::ErrorCode::kInvalidField,
                                  "page must be a positive integer, not '" + *p + "'"));
  }
  app.Read(req, std::move(respond),
           [&app, place_id = *place_id, page](store::Connection& db, const service::Actor& actor) {
             return Answer(service::CodeSheetSvg(db, app.env(), actor, place_id, page),
                           [](service::CodeSheetPage sheet) {
                             return SvgReply(
                                 std::move(sheet.svg),
                                 {{"X-Page", std::to_string(sheet.page)},
                                  {"X-Page-Count", std::to_string(sheet.page_count)},
                                  {"X-Resident-Count", std::to_string(sheet.residents)}});
                           });
           });
}

void GetPublicKey(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [&app](store::Connection&, const service::Actor&) {
    json::object o;
    o["algorithm"] = "Ed25519";
    o["public_key"] = service::PersonalCodePublicKeyHex(app.env());
    o["kid"] = app.env().vault.NewestKid(store::KeyKind::kPersonalCode);
    json::array keys;
    for (auto& [kid, hex] : service::PersonalCodePublicKeysHex(app.env()))
      keys.push_back(json::object{{"kid", kid}, {"public_key", std::move(hex)}});
    o["keys"] = std::move(keys);
    return JsonReply(200, json::value(std::move(o)));
  });
}

}  // namespace

void AddCodeRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/residents/{id}/code", Needs(core::Permission::kReadResidents),
             [&app](Request& req, Respond respond) { GetCode(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/residents/{id}/code.svg", Needs(core::Permission::kReadResidents),
             [&app](Request& req, Respond respond) { GetCodeSvg(app, req, std::move(respond)); });
  router.Add("POST", "/api/v1/residents/{id}/code/reissue", Needs(core::Permission::kWriteRegistry),
             [&app](Request& req, Respond respond) { ReissueCode(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/places/{id}/codes.svg", Needs(core::Permission::kReadResidents),
             [&app](Request& req, Respond respond) { GetCodeSheet(app, req, std::move(respond)); });
  router.Add("GET", "/api/v1/personal-code/public-key", SignedIn(),
             [&app](Request& req, Respond respond) { GetPublicKey(app, req, std::move(respond)); });
}

}  // namespace swabline::http
