// The zone policy, lifting zones by its rules, and the settable clock (docs/outbreak.md,
// "Zones and the policy"; the follow-up tag of docs/openapi.yaml).
#include "core/civil_time.hpp"
#include "core/zone_policy.hpp"
#include "http/decode.hpp"
#include "http/outbreak_json.hpp"
#include "http/routes.hpp"
#include "service/clock.hpp"
#include "service/zone_policy.hpp"
#include "service/zone_rules.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

core::Error Invalid(const std::string& path, std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidField, path + ": " + std::string(why))
      .With("field", path);
}

/// The document's leaves with their paths joined by dots; a leaf that is not a bool, an
/// integer or a string is refused naming its path (the policy has no other kind of value).
core::Status Flatten(const json::object& o, const std::string& prefix,
                     std::vector<core::PolicyEntry>& out) {
  for (const auto& [name, value] : o) {
    const std::string path = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
    if (value.is_object()) {
      SWB_TRY(Flatten(value.get_object(), path, out));
    } else if (value.is_bool()) {
      out.push_back({path, value.get_bool()});
    } else if (value.is_int64()) {
      out.push_back({path, value.get_int64()});
    } else if (value.is_uint64()) {
      return Invalid(path, "out of range");
    } else if (value.is_string()) {
      out.push_back({path, std::string(value.get_string())});
    } else {
      return Invalid(path, "must be an object, true or false, an integer or a string");
    }
  }
  return core::Ok{};
}

/// The policy as its JSON document: each leaf put at its dotted path.
json::object PolicyJson(const core::ZonePolicy& policy) {
  json::object doc;
  for (const core::PolicyEntry& e : core::ZonePolicyEntries(policy)) {
    json::object* at = &doc;
    std::string_view key = e.key;
    for (std::size_t dot; (dot = key.find('.')) != std::string_view::npos;) {
      json::value& next = (*at)[key.substr(0, dot)];
      if (!next.is_object()) next = json::object();
      at = &next.get_object();
      key.remove_prefix(dot + 1);
    }
    std::visit([&](const auto& v) { (*at)[key] = v; }, e.value);
  }
  return doc;
}

void GetPolicy(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetZonePolicy(db, actor), PolicyJson);
  });
}

void PutPolicy(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  std::vector<core::PolicyEntry> entries;
  if (auto flat = Flatten(*body, "", entries); !flat.ok())
    return respond(ProblemReply(flat.take_error()));
  app.Write(req, std::move(respond),
            [&app, entries = std::move(entries)](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::SaveZonePolicy(tx, app.env(), actor, entries),
                            PolicyJson);
            });
}

void EvaluateZones(App& app, Request& req, Respond respond) {
  app.Write(req, std::move(respond), [&app](store::Tx& tx, const service::Actor& actor) {
    return Answer(
        200, service::EvaluateZonesNow(tx, app.env(), actor), [](const service::ZoneEvaluation& e) {
          json::array changed;
          for (const auto& z : e.changed) changed.emplace_back(ZoneJson(z));
          return json::object{{"evaluated", e.evaluated}, {"changed", std::move(changed)}};
        });
  });
}

json::object ClockJson(core::Micros now) { return json::object{{"now", core::FormatRfc3339(now)}}; }

void GetClock(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [&app](store::Connection&, const service::Actor&) {
    return JsonReply(200, json::serialize(ClockJson(app.env().clock.Now())));
  });
}

void PutClock(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(text, RequireString(*body, "now"));
  const auto now = core::ParseRfc3339(*text);
  if (!now) return respond(ProblemReply(Invalid("now", "must be an RFC 3339 time")));
  app.Write(
      req, std::move(respond), [&app, now = *now](store::Tx& tx, const service::Actor& actor) {
        return Answer(200, service::SetClock(tx, *app.settable_clock(), actor, now), ClockJson);
      });
}

}  // namespace

void AddZoneRuleRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/zone-policy", Needs(core::Permission::kReadIncidents),
             bind(GetPolicy));
  router.Add("PUT", "/api/v1/zone-policy", Needs(core::Permission::kManageSettings),
             bind(PutPolicy));
  router.Add("POST", "/api/v1/zones/evaluate", Needs(core::Permission::kManageIncidents),
             bind(EvaluateZones));
  if (app.settable_clock() == nullptr) return;  // no clock routes: 404 as any unknown path
  router.Add("GET", "/api/v1/clock", SignedIn(), bind(GetClock));
  router.Add("PUT", "/api/v1/clock", Needs(core::Permission::kManageSettings), bind(PutClock));
}

}  // namespace swabline::http
