// The access table: every route of the API (asked of the router) × every role × a thing inside
// and outside the caller's places, run through the server's dispatch on a seeded database.
//
// Adding a route: add one Row to kTable below — the route as the router has it, one letter
// per role, and (when the route names a place, resident, site, round or tube) a target with
// {place}, {resident}, {site}, {round} or {tube}, which the test fills with a thing inside the
// caller's places and then with one outside them. A route without a row fails the test.

#include <gtest/gtest.h>

#include <array>
#include <future>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/dispatch.hpp"
#include "http/request_target.hpp"
#include "http/routes.hpp"
#include "service/clock.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "service/sites.hpp"
#include "support/http/test_support.hpp"

namespace swabline::http {
namespace {

using core::Role;
using service::test::Csv;
using service::test::IdNumber;

/// The roles in the order of a Row's letters.
constexpr std::array kRoles = {Role::kAdmin,   Role::kCommand, Role::kCommunity, Role::kRecorder,
                               Role::kCourier, Role::kLab,     Role::kViewer,    Role::kGuard};

/// One route's expected answers. `roles` has one letter per role of kRoles: 'y' passes the
/// access check (any answer but 401 and 403: the request may still be refused for what it
/// sends), '-' is 403 forbidden. Outside the caller's places every role is 403 (the API's
/// convention: "outside the user's role or places → 403") unless the row says otherwise. A public
/// route is also called without a token, and must not answer 401 or 403 then.
struct Row {
  std::string_view route;   // "METHOD pattern", exactly as the router has it
  std::string_view roles;   // admin command community recorder courier lab viewer guard
  std::string_view target;  // "": the pattern with 0 for each placeholder
  std::string_view body = "{}";
  /// The answer outside the caller's places: 403, or 200 for a round's views, which a round
  /// over many places answers for the caller's own places only.
  int outside = 403;
  /// A public route's answer without a token: 0 for "neither 401 nor 403"; the event stream,
  /// public at the router only because EventSource sends no header, says 401.
  int anonymous = 0;
};

// Letters by permission (core/role.cpp), for writing rows: everyone yyyyyyyy; read residents,
// coverage, incidents, requests, staff yyy---y-; registry, sites, requests, staff y-y-----;
// rounds, incidents yyy-----; sample y--y----; read tubes yyyyyyy-; read status yyyy--y-;
// transport y---y---; lab y----y--; antigen reports and queue counts y-yy----; gate scans
// y-y----y; users and deployment settings y-------.
constexpr Row kTable[] = {
    {"GET /healthz", "yyyyyyyy", ""},
    {"GET /metrics", "yyyyyyyy", ""},
    // Sign-in and the caller's own account.
    {"POST /api/v1/sessions", "yyyyyyyy", ""},
    {"DELETE /api/v1/sessions", "yyyyyyyy", ""},
    {"GET /api/v1/me", "yyyyyyyy", ""},
    {"POST /api/v1/users", "y-------", ""},
    // Registry and personal codes.
    {"POST /api/v1/residents/import", "y-y-----", ""},
    {"GET /api/v1/places", "yyyyyyyy", ""},
    {"GET /api/v1/places/{id}", "yyyyyyyy", "/api/v1/places/{place}"},
    {"GET /api/v1/residents", "yyy---y-", "/api/v1/residents?place_id={place}"},
    {"GET /api/v1/residents/{id}", "yyy---y-", "/api/v1/residents/{resident}"},
    {"GET /api/v1/residents/{id}/code", "yyy---y-", "/api/v1/residents/{resident}/code"},
    {"GET /api/v1/residents/{id}/code.svg", "yyy---y-", "/api/v1/residents/{resident}/code.svg"},
    {"POST /api/v1/residents/{id}/code/reissue", "y-y-----",
     "/api/v1/residents/{resident}/code/reissue"},
    {"GET /api/v1/places/{id}/codes.svg", "yyy---y-", "/api/v1/places/{place}/codes.svg"},
    {"GET /api/v1/personal-code/public-key", "yyyyyyyy", ""},
    // Rounds, tubes and samples.
    {"POST /api/v1/rounds", "yyy-----", "/api/v1/rounds",
     R"({"name":"access round","place_ids":[{place}]})"},
    {"GET /api/v1/rounds", "yyyyyyyy", ""},
    {"GET /api/v1/rounds/{id}", "yyyyyyyy", "/api/v1/rounds/{round}"},
    {"POST /api/v1/rounds/{id}/close", "yyy-----", ""},
    {"POST /api/v1/tubes", "y--y----", "/api/v1/tubes",
     R"({"barcode":"{tube}-NEW","round_id":{round},"site_id":{site}})"},
    {"GET /api/v1/tubes/{barcode}", "yyyyyyy-", "/api/v1/tubes/{tube}"},
    {"POST /api/v1/tubes/{barcode}/samples", "y--y----", ""},
    {"POST /api/v1/tubes/{barcode}/seal", "y--y----", ""},
    {"POST /api/v1/samples/{id}/void", "y--y----", ""},
    {"GET /api/v1/tubes/{barcode}/results", "yyyyyyy-", "/api/v1/tubes/{tube}/results"},
    // Status, coverage and reports.
    {"GET /api/v1/people/{person}/status", "yyyy--y-", "/api/v1/people/{resident}/status"},
    {"GET /api/v1/status", "yyyyyyyy", "/api/v1/status?code=not-a-code"},
    {"GET /api/v1/rounds/{id}/coverage", "yyy---y-", "/api/v1/rounds/{round}/coverage", "{}", 200},
    {"GET /api/v1/rounds/{id}/missing", "yyy---y-", "/api/v1/rounds/{round}/missing", "{}", 200},
    {"GET /api/v1/rounds/{id}/turnaround", "yyy---y-", "/api/v1/rounds/{round}/turnaround"},
    // Public (a resident reports by code); with a token the use case checks the role.
    {"POST /api/v1/reports", "y-yy----", "/api/v1/reports",
     R"({"person":"{resident}","kind":"antigen_positive"})"},
    {"GET /api/v1/rounds/{id}/advisor", "yyy---y-", "/api/v1/rounds/{round}/advisor", "{}", 200},
    {"GET /api/v1/settings/assay", "yyy---y-", ""},
    {"PUT /api/v1/settings/assay", "y-------", ""},
    // Sites, queues, plans and stock.
    {"POST /api/v1/sites", "y-y-----", "/api/v1/sites",
     R"({"name":"access site","place_id":{place}})"},
    {"GET /api/v1/sites", "yyyyyyyy", ""},
    {"GET /api/v1/sites/{id}/queue", "yyyyyyyy", ""},
    {"POST /api/v1/sites/{id}/queue", "y-yy----", "/api/v1/sites/{site}/queue",
     R"({"lane":"general","delta":1})"},
    {"PUT /api/v1/sites/{id}/collectors", "y-yy----", ""},
    {"GET /api/v1/rounds/{id}/plan", "yyy---y-", "/api/v1/rounds/{round}/plan", "{}", 200},
    {"GET /api/v1/settings/sampling-rates", "yyy---y-", ""},
    {"PUT /api/v1/settings/sampling-rates", "y-------", ""},
    {"POST /api/v1/tube-batches", "y-y-----", ""},
    {"GET /api/v1/tube-batches", "yyyyyyy-", ""},
    {"GET /api/v1/sites/{id}/stock", "yyyyyyy-", "/api/v1/sites/{site}/stock"},
    {"PUT /api/v1/sites/{id}/stock", "y-y-----", ""},
    // Transport and the lab.
    {"POST /api/v1/boxes", "y---y---", ""},
    {"GET /api/v1/boxes/{barcode}", "yyyyyyy-", ""},
    {"POST /api/v1/boxes/{barcode}/tubes", "y---y---", ""},
    {"POST /api/v1/boxes/{barcode}/dispatch", "y---y---", ""},
    {"POST /api/v1/lab/receipts", "y----y--", ""},
    {"GET /api/v1/lab/discrepancies", "yyyyyyy-", ""},
    {"POST /api/v1/lab/discrepancies/{id}/resolve", "y----y--", ""},
    {"POST /api/v1/lab/results", "y----y--", ""},
    // Incidents, zones and tasks.
    {"GET /api/v1/incidents", "yyy---y-", ""},
    {"POST /api/v1/incidents", "yyy-----", ""},
    {"GET /api/v1/incidents/{id}", "yyy---y-", ""},
    {"POST /api/v1/incidents/{id}/close", "yyy-----", ""},
    {"POST /api/v1/incidents/{id}/checklist/{item}", "yyy-----", ""},
    {"GET /api/v1/zones", "yyy---y-", ""},
    {"POST /api/v1/zones", "yyy-----", ""},
    {"POST /api/v1/zones/{id}/lift", "yyy-----", ""},
    {"GET /api/v1/tasks", "yyy---y-", ""},
    {"POST /api/v1/tasks/{id}/assign", "yyy-----", ""},
    {"GET /api/v1/zone-policy", "yyy---y-", ""},
    {"PUT /api/v1/zone-policy", "y-------", ""},
    {"POST /api/v1/zones/evaluate", "yyy-----", ""},
    {"GET /api/v1/clock", "yyyyyyyy", ""},
    {"PUT /api/v1/clock", "y-------", ""},
    // Checkpoints.
    {"POST /api/v1/checkpoints", "y-y-----", ""},
    {"GET /api/v1/checkpoints", "y-y----y", ""},
    {"POST /api/v1/checkpoints/{id}/scans", "y-y----y", ""},
    {"GET /api/v1/checkpoints/{id}/scans", "y-y----y", ""},
    {"GET /api/v1/settings/checkpoints", "y-y----y", ""},
    {"PUT /api/v1/settings/checkpoints", "y-------", ""},
    // Residents' requests.
    {"POST /api/v1/requests", "y-y-----", "/api/v1/requests",
     R"({"person":"{resident}","category":"food","detail":"access table"})"},
    {"GET /api/v1/requests", "yyy---y-", ""},
    {"GET /api/v1/requests/{id}", "yyy---y-", ""},
    {"POST /api/v1/requests/{id}/assign", "y-y-----", ""},
    {"POST /api/v1/requests/{id}/close", "y-y-----", ""},
    {"POST /api/v1/requests/{id}/comments", "y-y-----", ""},
    {"GET /api/v1/settings/request-due", "yyy---y-", ""},
    {"PUT /api/v1/settings/request-due", "y-------", ""},
    // Staff, work groups, shifts, notices.
    {"POST /api/v1/staff", "y-y-----", ""},
    {"GET /api/v1/staff", "yyy---y-", ""},
    {"GET /api/v1/staff/on-duty", "yyy---y-", ""},
    {"GET /api/v1/staff/scans-per-hour", "yyy---y-", ""},
    {"POST /api/v1/work-groups", "y-y-----", ""},
    {"GET /api/v1/work-groups", "yyy---y-", ""},
    {"POST /api/v1/work-groups/{id}/members", "y-y-----", ""},
    {"POST /api/v1/shifts", "y-y-----", ""},
    {"POST /api/v1/rounds/{id}/notices", "yyy-----", ""},
    {"GET /api/v1/rounds/{id}/notices", "yyy---y-", "/api/v1/rounds/{round}/notices", "{}", 200},
    {"POST /api/v1/rounds/{id}/reminders", "yyy-----", ""},
    // The audit chain's anchors.
    {"GET /api/v1/audit/anchors", "yy------", ""},
    // The live dashboard.
    {"GET /api/v1/dashboard", "yyy---y-", ""},
    {"POST /api/v1/events/ticket", "yyy---y-", ""},
    {"GET /api/v1/events", "yyy---y-", "", "{}", 403, 401},
    // The resident's page, by personal code.
    {"GET /api/v1/status/history", "yyyyyyyy", "/api/v1/status/history?code=not-a-code"},
    {"GET /api/v1/status/code.svg", "yyyyyyyy", "/api/v1/status/code.svg?code=not-a-code"},
};

/// The things a target names, inside the callers' places or outside them.
struct Things {
  std::map<std::string, std::string> values;  // "place" → "12"
};

std::string Fill(std::string text, const Things& things) {
  for (const auto& [name, value] : things.values) {
    const std::string hole = "{" + name + "}";
    for (auto at = text.find(hole); at != std::string::npos; at = text.find(hole))
      text.replace(at, hole.size(), value);
  }
  return text;
}

/// The pattern with 0 in each placeholder.
std::string Zeroed(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    out += '0';
    i = pattern.find('}', i);
  }
  return out;
}

bool Scoped(std::string_view text) {
  for (std::string_view hole : {"{place}", "{resident}", "{site}", "{round}", "{tube}"})
    if (text.find(hole) != std::string_view::npos) return true;
  return false;
}

class AccessTable : public ::testing::Test {
 protected:
  void SetUp() override {
    w_.app().set_settable_clock(&clock_);  // so /clock exists and is in the table
    router_ = BuildRouter(w_.app());
    auto& world = w_.world();
    world.ImportOk(Csv({IdNumber(1) + ",王伟,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
                        IdNumber(2) + ",李娜,,朝阳区,和平街街道,樱花园社区,2号楼,1单元,201,"}));
    inside_ = Seed("朝阳区/和平街街道/小黄庄社区", IdNumber(1), "ACCESS-IN");
    outside_ = Seed("朝阳区/和平街街道/樱花园社区", IdNumber(2), "ACCESS-OUT");
    scope_ = world.PlaceAt("朝阳区/和平街街道/小黄庄社区");
  }

  /// A site, a round and an open tube at `place_path`, and the resident with `id_number`.
  Things Seed(std::string_view place_path, const std::string& id_number, std::string barcode) {
    auto& world = w_.world();
    const auto system = service::Actor::System();
    const core::Place place = world.PlaceAt(place_path);
    Things t;
    t.values["place"] = std::to_string(place.id);
    t.values["resident"] = std::to_string(world.ResidentIdOf(id_number));
    world.InTx([&](store::Tx& tx) {
      auto site = service::CreateSite(tx, world.env, system, barcode + " site", place.id);
      EXPECT_TRUE(site.ok());
      auto round = service::CreateRound(tx, world.env, system, {barcode, {place.id}, 10, {}, {}});
      EXPECT_TRUE(round.ok());
      if (!site.ok() || !round.ok()) return;
      EXPECT_TRUE(
          service::OpenTube(tx, world.env, system, {barcode, round->id, site->id, {}, {}, {}})
              .ok());
      t.values["site"] = std::to_string(site->id);
      t.values["round"] = std::to_string(round->id);
    });
    t.values["tube"] = barcode;
    return t;
  }

  /// The answer to `method target body`, sent with `role`'s fresh token (none for nullopt).
  Reply Call(std::string_view method, const std::string& target, const std::string& body,
             std::optional<Role> role) {
    Request req;
    req.method = std::string(method);
    req.target = target;
    EXPECT_TRUE(ParseTarget(req)) << target;
    req.body = body;
    req.content_type = "application/json";
    if (role) {
      // A token of its own per call: DELETE /sessions forgets the one it is sent with.
      const std::string token = "access-token-" + std::to_string(++calls_);
      service::Actor actor;
      actor.user_id = 100 + static_cast<std::int64_t>(*role);
      actor.username = std::string(core::RoleName(*role)) + "1";
      actor.role = *role;
      actor.scope_place_id = scope_.id;
      actor.scope_id_path = scope_.id_path;
      actor.scope_path = scope_.path;
      w_.app().tokens().Put(token, actor, w_.world().clock.Now());
      req.authorization = "Bearer " + token;
    }
    std::promise<Reply> answered;
    std::string route;
    Dispatch(
        w_.app(), router_, req,
        [&answered](Reply r) {
          Render(r);
          answered.set_value(std::move(r));
        },
        route);
    return answered.get_future().get();
  }

  test::AppWorld w_;
  service::SettableClock clock_;
  Router router_;
  Things inside_, outside_;
  core::Place scope_;
  int calls_ = 0;
};

const Row* RowOf(std::string_view route) {
  for (const Row& row : kTable)
    if (row.route == route) return &row;
  return nullptr;
}

std::string Describe(const Reply& r) { return std::to_string(r.status) + " " + r.body; }

TEST_F(AccessTable, HasARowForEveryRouteAndARouteForEveryRow) {
  std::vector<std::string> routes;
  for (const Route& route : router_.routes()) {
    routes.push_back(route.method + " " + route.pattern);
    EXPECT_NE(RowOf(routes.back()), nullptr)
        << routes.back() << " has no row in kTable (src/http/access_table_test.cpp): add one "
        << "saying which roles may call it";
  }
  for (const Row& row : kTable) {
    EXPECT_EQ(row.roles.size(), kRoles.size()) << row.route;
    EXPECT_NE(std::find(routes.begin(), routes.end(), row.route), routes.end())
        << row.route << " is in kTable but the router has no such route";
  }
}

TEST_F(AccessTable, EveryRoleGetsWhatItsRowSaysInsideItsPlacesAndForbiddenOutside) {
  for (const Route& route : router_.routes()) {
    const Row* row = RowOf(route.method + " " + route.pattern);
    if (row == nullptr || row->roles.size() != kRoles.size()) continue;  // the test above fails
    const std::string target =
        row->target.empty() ? Zeroed(route.pattern) : std::string(row->target);
    const bool scoped = Scoped(target) || Scoped(row->body);
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      const Role role = kRoles[i];
      const Reply in =
          Call(route.method, Fill(target, inside_), Fill(std::string(row->body), inside_), role);
      SCOPED_TRACE(route.method + " " + route.pattern + " as " + std::string(core::RoleName(role)));
      EXPECT_NE(in.status, 401) << Describe(in);
      if (row->roles[i] == 'y')
        EXPECT_NE(in.status, 403) << "inside the caller's places: " << Describe(in);
      else
        EXPECT_EQ(in.status, 403) << Describe(in);
      if (!scoped) continue;
      const Reply out =
          Call(route.method, Fill(target, outside_), Fill(std::string(row->body), outside_), role);
      if (row->roles[i] == 'y')
        EXPECT_EQ(out.status, row->outside) << "outside the caller's places: " << Describe(out);
      else
        EXPECT_EQ(out.status, 403) << Describe(out);
    }
    if (route.access.kind == Access::Kind::kPublic) {
      // Without a token a person is named by a personal code only (an id proves nothing).
      Things anonymous = inside_;
      anonymous.values["resident"] = "SW1.not-a-real-code";
      const Reply anyone = Call(route.method, Fill(target, anonymous),
                                Fill(std::string(row->body), anonymous), std::nullopt);
      if (row->anonymous != 0) {
        EXPECT_EQ(anyone.status, row->anonymous) << route.pattern << ": " << Describe(anyone);
        continue;
      }
      EXPECT_NE(anyone.status, 401) << route.pattern << " without a token: " << Describe(anyone);
      EXPECT_NE(anyone.status, 403) << route.pattern << " without a token: " << Describe(anyone);
    }
  }
}

TEST_F(AccessTable, AForbiddenRoleLearnsNothingOfTheBodyRules) {
  // A courier may not open tubes: whatever it sends, the answer is 403, not a 422 on the body.
  for (const char* body : {"", "{", R"({"barcode":1})"}) {
    const Reply r = Call("POST", "/api/v1/tubes", body, Role::kCourier);
    EXPECT_EQ(r.status, 403) << body << ": " << Describe(r);
  }
}

}  // namespace
}  // namespace swabline::http
