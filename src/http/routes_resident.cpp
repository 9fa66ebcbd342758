// What a resident does with their personal code and no sign-in (docs/api.md, "The resident's
// page"): their results history, their code as a QR image, and a report of a positive antigen
// self-test. Each look-up of a code counts against the address's public status limit
// (`serve --status-rate`): without one, these are ways to try forged or guessed codes.
#include "http/decode.hpp"
#include "http/outbreak_json.hpp"
#include "http/routes.hpp"
#include "service/personal_code.hpp"
#include "service/qr.hpp"
#include "service/reports.hpp"
#include "service/requests.hpp"
#include "service/status.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

constexpr int kQrModulePx = 8;

/// The `?code=` of a public look-up, or the problem answered (missing, or over the limit).
std::optional<std::string> CodeOf(App& app, const Request& req, const Respond& respond) {
  auto code = req.Query("code");
  if (!code || code->empty()) {
    respond(ProblemReply(core::Error(core::ErrorCode::kMissingField, "send ?code=<personal code>")
                             .With("field", "code")));
    return std::nullopt;
  }
  if (!app.TakeCodeLookup(req, respond)) return std::nullopt;
  return code;
}

json::object OwnSampleJson(const service::OwnSample& s) {
  return json::object{
      {"round_id", s.round_id},
      {"round_name", s.round_name},
      {"tube", s.tube},
      {"sampled_at", core::FormatRfc3339(s.sampled_at)},
      {"result", s.result ? json::value(core::TubeResultName(*s.result)) : json::value(nullptr)},
      {"pooled", s.pooled},
      {"purpose", core::TubePurposeName(s.purpose)}};
}

void History(App& app, Request& req,
             Respond respond) {  // NOLINT(performance-unnecessary-value-param)
  SWB_DECODE(paging, ParsePaging(req, 20, 100));
  auto code = CodeOf(app, req, respond);
  if (!code) return;
  app.ReadPublicNow(respond, [&app, &code, &paging](store::Connection& db) {
    return Answer(200,
                  service::GetHistoryByCode(db, app.env(), *code, paging->cursor, paging->limit),
                  [](const service::OwnSamplesPage& p) {
                    return PageJson("samples", p.samples, p.next_cursor, OwnSampleJson);
                  });
  });
}

void CodeSvg(App& app, Request& req,
             Respond respond) {  // NOLINT(performance-unnecessary-value-param)
  auto code = CodeOf(app, req, respond);
  if (!code) return;
  app.ReadPublicNow(respond, [&app, &code](store::Connection& db) {
    // Only a code that still names someone is drawn: a replaced one must not reach a gate.
    return Answer(service::ResolvePersonalCode(db, app.env(), *code), [&code](std::int64_t) {
      Reply reply;
      reply.content_type = "image/svg+xml";
      reply.body = service::QrSvg(*code, kQrModulePx);
      reply.headers.emplace_back("Cache-Control", "no-store");
      return reply;
    });
  });
}

void Report(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(person, RequireString(*body, "person"));
  SWB_DECODE(kind, RequireString(*body, "kind"));
  if (!req.BearerToken().empty())
    return app.Write(
        req, std::move(respond),
        [&app, person = *person, kind = *kind](store::Tx& tx, const service::Actor& actor) {
          return Answer(201, service::ReportAntigenPositive(tx, app.env(), actor, person, kind),
                        IncidentJson);
        });
  // No token: a resident reporting their own test, named by their personal code.
  if (!app.TakeCodeLookup(req, respond)) return;
  app.WriteAsResident(
      req, std::move(respond),
      [&app, code = *person](store::Tx& tx) {
        return service::ResidentOfCode(tx.db(), app.env(), code);
      },
      [&app, kind = *kind](store::Tx& tx, std::int64_t resident) {
        return Answer(service::ReportOwnAntigenPositive(tx, app.env(), resident, kind),
                      [](const service::OwnReport& r) {
                        return JsonReply(r.opened ? 201 : 200,
                                         json::serialize(IncidentJson(r.incident)));
                      });
      });
}

}  // namespace

void AddResidentRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/status/history", Public(), bind(History));
  router.Add("GET", "/api/v1/status/code.svg", Public(), bind(CodeSvg));
  // Public at the router: a resident reports by code; with a token the use case checks the role.
  router.Add("POST", "/api/v1/reports", Public(), bind(Report));
}

}  // namespace swabline::http
