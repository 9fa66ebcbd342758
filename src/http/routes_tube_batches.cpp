// Tube batches and a site's stock of supplies (docs/openapi.yaml, the tube batches tag).

#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/tube_batches.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::object BatchJson(const service::TubeBatch& b) {
  return json::object{{"id", b.id},
                      {"site_id", b.site_id},
                      {"count", b.count},
                      {"pool_size", b.pool_size ? json::value(*b.pool_size) : json::value(nullptr)},
                      {"expires_at", core::FormatRfc3339(b.expires_at)},
                      {"created_at", core::FormatRfc3339(b.created_at)},
                      {"created_by", b.created_by}};
}

json::object LevelJson(const core::StockLevel& l, std::string_view delivered_name) {
  return json::object{{delivered_name, l.delivered},
                      {"used", l.used},
                      {"left", l.left},
                      {"threshold", l.threshold},
                      {"low", l.low}};
}

json::object StockJson(const service::SiteStock& s) {
  return json::object{
      {"site_id", s.site_id},
      {"tubes", LevelJson(s.tubes, "issued")},
      {"swabs", LevelJson(s.swabs, "delivered")},
      {"kits", LevelJson(s.kits, "delivered")},
      {"samples", s.samples},
      {"samples_per_kit", s.samples_per_kit},
      {"updated_at", TimeJson(s.updated_at)},
      {"updated_by", s.updated_by.empty() ? json::value(nullptr) : json::value(s.updated_by)}};
}

core::Error Missing(std::string_view field) {
  return core::Error(core::ErrorCode::kMissingField, "'" + std::string(field) + "' is required")
      .With("field", std::string(field));
}

/// `"range":{"prefix","from","to","width"}`, when present.
core::Result<std::optional<core::BarcodeRange>> RangeOf(const json::object& body) {
  const json::value* v = body.if_contains("range");
  if (!v) return std::optional<core::BarcodeRange>();
  if (!v->is_object())
    return core::Fail(core::ErrorCode::kInvalidField, "range must be an object")
        .With("field", "range");
  const json::object& o = v->get_object();
  core::BarcodeRange r;
  std::optional<std::string> prefix;
  std::optional<std::int64_t> from, to, width;
  SWB_TRY_ASSIGN(prefix, OptionalString(o, "prefix"));
  SWB_TRY_ASSIGN(from, OptionalInt(o, "from"));
  SWB_TRY_ASSIGN(to, OptionalInt(o, "to"));
  SWB_TRY_ASSIGN(width, OptionalInt(o, "width"));
  if (!to) return Missing("range.to");
  r.prefix = prefix.value_or("");
  r.from = from.value_or(1);
  r.to = *to;
  r.width = static_cast<int>(std::clamp<std::int64_t>(width.value_or(0), -1, 100));
  return std::optional<core::BarcodeRange>(r);
}

void CreateBatch(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(site, OptionalInt(*body, "site_id"));
  SWB_DECODE(expires, RequireString(*body, "expires_at"));
  SWB_DECODE(pool, OptionalInt(*body, "pool_size"));
  SWB_DECODE(range, RangeOf(*body));
  if (!*site) return respond(ProblemReply(Missing("site_id")));
  const auto expires_at = core::ParseRfc3339(*expires);
  if (!expires_at)
    return respond(ProblemReply(
        core::Error(core::ErrorCode::kInvalidField, "'expires_at' must be an RFC 3339 time")
            .With("field", "expires_at")));
  service::NewTubeBatch in;
  in.site_id = **site;
  in.expires_at = *expires_at;
  in.range = *range;
  if (*pool) in.pool_size = static_cast<int>(std::clamp<std::int64_t>(**pool, -1, 1000));
  if (body->contains("barcodes")) {
    SWB_DECODE(barcodes, StringArray(*body, "barcodes"));
    in.barcodes = std::move(*barcodes);
  }
  app.Write(req, std::move(respond),
            [&app, in = std::move(in)](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::CreateTubeBatch(tx, app.env(), actor, in), BatchJson);
            });
}

void ListBatches(App& app, Request& req, Respond respond) {
  SWB_DECODE(site, QueryId(req, "site_id", core::ErrorCode::kUnknownSite, "site"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  if (!*site) return respond(ProblemReply(Missing("site_id")));
  app.Read(req, std::move(respond),
           [site = **site, paging = *paging](store::Connection& db, const service::Actor& actor) {
             return Answer(200,
                           service::ListTubeBatches(db, actor, site, paging.cursor, paging.limit),
                           [](const service::TubeBatchPage& p) {
                             return PageJson("batches", p.batches, p.next_cursor, BatchJson);
                           });
           });
}

void GetStock(App& app, Request& req, Respond respond) {
  SWB_DECODE(site, PathId(req, core::ErrorCode::kUnknownSite, "site"));
  app.Read(req, std::move(respond),
           [site = *site](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetSiteStock(db, actor, site), StockJson);
           });
}

/// A count member: absent is 0.
core::Result<std::int64_t> Count(const json::object& o, std::string_view key,
                                 std::int64_t absent = 0) {
  std::optional<std::int64_t> v;
  SWB_TRY_ASSIGN(v, OptionalInt(o, key));
  return v.value_or(absent);
}

core::Result<service::StockInput> StockInputOf(const json::object& body) {
  service::StockInput in;
  SWB_TRY_ASSIGN(in.swabs_delivered, Count(body, "swabs_delivered"));
  SWB_TRY_ASSIGN(in.kits_delivered, Count(body, "kits_delivered"));
  SWB_TRY_ASSIGN(in.samples_per_kit, Count(body, "samples_per_kit", 1));
  if (const json::value* low = body.if_contains("low")) {
    if (!low->is_object())
      return core::Fail(core::ErrorCode::kInvalidField, "low must be an object")
          .With("field", "low");
    SWB_TRY_ASSIGN(in.low_tubes, Count(low->get_object(), "tubes"));
    SWB_TRY_ASSIGN(in.low_swabs, Count(low->get_object(), "swabs"));
    SWB_TRY_ASSIGN(in.low_kits, Count(low->get_object(), "kits"));
  }
  return in;
}

void PutStock(App& app, Request& req, Respond respond) {
  SWB_DECODE(site, PathId(req, core::ErrorCode::kUnknownSite, "site"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(in, StockInputOf(*body));
  app.Write(req, std::move(respond),
            [&app, site = *site, in = *in](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::PutSiteStock(tx, app.env(), actor, site, in), StockJson);
            });
}

}  // namespace

void AddTubeBatchRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/tube-batches", Needs(core::Permission::kManageSites),
             bind(CreateBatch));
  router.Add("GET", "/api/v1/tube-batches", Needs(core::Permission::kReadTubes), bind(ListBatches));
  router.Add("GET", "/api/v1/sites/{id}/stock", Needs(core::Permission::kReadTubes),
             bind(GetStock));
  router.Add("PUT", "/api/v1/sites/{id}/stock", Needs(core::Permission::kManageSites),
             bind(PutStock));
}

}  // namespace swabline::http
