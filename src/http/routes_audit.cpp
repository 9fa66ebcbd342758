// The audit chain's anchors (docs/security.md, Malicious lab staff; GET /audit/anchors in
// docs/openapi.yaml).
#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/audit_anchors.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::object AnchorJson(const service::AuditAnchor& a) {
  return json::object{{"date", a.date}, {"seq", a.seq}, {"head_hash", a.head_hash}};
}

json::object AnchorsJson(const service::AuditAnchors& a) {
  json::array anchors;
  for (const auto& anchor : a.anchors) anchors.emplace_back(AnchorJson(anchor));
  return json::object{{"anchors", std::move(anchors)},
                      {"head", a.head ? json::value(AnchorJson(*a.head)) : json::value(nullptr)}};
}

}  // namespace

void AddAuditRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/audit/anchors", Needs(core::Permission::kReadAudit),
             [&app](Request& req, Respond respond) {
               app.Read(req, std::move(respond),
                        [](store::Connection& db, const service::Actor& actor) {
                          return Answer(200, service::GetAuditAnchors(db, actor), AnchorsJson);
                        });
             });
}

}  // namespace swabline::http
