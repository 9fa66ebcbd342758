// Staff and volunteers, work groups, shifts, who is on duty, scans per hour, and a round's
// notices and reminders (docs/api.md, "Community operations"; tag community in
// docs/openapi.yaml).
#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/notices.hpp"
#include "service/staff.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

core::Error Missing(std::string_view field) {
  return core::Error(core::ErrorCode::kMissingField, std::string(field) + " is required")
      .With("field", std::string(field));
}

json::object StaffJson(const service::StaffMember& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"phone", s.phone},
                      {"kind", s.kind},
                      {"organisation", s.organisation},
                      {"username", s.username ? json::value(*s.username) : json::value(nullptr)},
                      {"place_id", s.place_id}};
}

json::object GroupJson(const service::WorkGroup& g) {
  json::array members;
  for (const auto& m : g.members) members.emplace_back(StaffJson(m));
  return json::object{
      {"id", g.id}, {"name", g.name}, {"place_id", g.place_id}, {"members", std::move(members)}};
}

json::object ShiftJson(const service::Shift& s) {
  return json::object{{"id", s.id},
                      {"staff", StaffJson(s.staff)},
                      {"place_id", s.place_id},
                      {"place_name", s.place_name},
                      {"starts_at", TimeJson(s.starts_at)},
                      {"ends_at", TimeJson(s.ends_at)},
                      {"duty", s.duty}};
}

json::object NoticeJson(const service::Notice& n) {
  json::array places;
  for (std::int64_t id : n.place_ids) places.emplace_back(id);
  return json::object{{"id", n.id},
                      {"round_id", n.round_id},
                      {"text", n.text},
                      {"created_at", TimeJson(n.created_at)},
                      {"created_by", n.created_by},
                      {"place_ids", std::move(places)}};
}

/// A required positive id member of a body.
core::Result<std::int64_t> RequireId(const json::object& o, std::string_view key) {
  std::optional<std::int64_t> v;
  SWB_TRY_ASSIGN(v, OptionalInt(o, key));
  if (!v) return Missing(key);
  return *v;
}

void AddStaff(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  service::NewStaff in;
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(kind, RequireString(*body, "kind"));
  SWB_DECODE(place, RequireId(*body, "place_id"));
  SWB_DECODE(phone, OptionalString(*body, "phone"));
  SWB_DECODE(organisation, OptionalString(*body, "organisation"));
  SWB_DECODE(username, OptionalString(*body, "username"));
  in.name = *name;
  in.kind = *kind;
  in.place_id = *place;
  in.phone = phone->value_or("");
  in.organisation = organisation->value_or("");
  if (*username && !(*username)->empty()) in.username = **username;
  app.Write(req, std::move(respond),
            [&app, in = std::move(in)](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::AddStaff(tx, app.env(), actor, in), StaffJson);
            });
}

void ListStaff(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  app.Read(req, std::move(respond),
           [place = *place, paging = *paging](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListStaff(db, actor, place, paging.cursor, paging.limit),
                           [](const service::StaffPage& p) {
                             return PageJson("staff", p.staff, p.next_cursor, StaffJson);
                           });
           });
}

void AddGroup(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(name, RequireString(*body, "name"));
  SWB_DECODE(place, RequireId(*body, "place_id"));
  app.Write(req, std::move(respond),
            [&app, name = *name, place = *place](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::AddWorkGroup(tx, app.env(), actor, name, place),
                            GroupJson);
            });
}

void AddMember(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownWorkGroup, "work group"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(staff, RequireId(*body, "staff_id"));
  app.Write(req, std::move(respond),
            [&app, id = *id, staff = *staff](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::AddWorkGroupMember(tx, app.env(), actor, id, staff),
                            GroupJson);
            });
}

void ListGroups(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [place = *place](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListWorkGroups(db, actor, place),
                           [](const std::vector<service::WorkGroup>& groups) {
                             json::array out;
                             for (const auto& g : groups) out.emplace_back(GroupJson(g));
                             return json::object{{"work_groups", std::move(out)}};
                           });
           });
}

void AddShift(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(staff, RequireId(*body, "staff_id"));
  SWB_DECODE(place, RequireId(*body, "place_id"));
  SWB_DECODE(starts, OptionalTime(*body, "starts_at"));
  SWB_DECODE(ends, OptionalTime(*body, "ends_at"));
  SWB_DECODE(duty, OptionalString(*body, "duty"));
  if (!*starts) return respond(ProblemReply(Missing("starts_at")));
  if (!*ends) return respond(ProblemReply(Missing("ends_at")));
  service::NewShift in{*staff, *place, **starts, **ends, duty->value_or("")};
  app.Write(req, std::move(respond), [&app, in](store::Tx& tx, const service::Actor& actor) {
    return Answer(201, service::AddShift(tx, app.env(), actor, in), ShiftJson);
  });
}

void OnDuty(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [&app, place = *place](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::OnDuty(db, app.env(), actor, place),
                           [&app](const std::vector<service::Shift>& shifts) {
                             json::array out;
                             for (const auto& s : shifts) out.emplace_back(ShiftJson(s));
                             return json::object{{"at", TimeJson(app.env().clock.Now())},
                                                 {"on_duty", std::move(out)}};
                           });
           });
}

void ScansPerHour(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  std::optional<core::Micros> since;
  if (auto text = req.Query("since"); text && !text->empty()) {
    since = core::ParseRfc3339(*text);
    if (!since)
      return respond(
          ProblemReply(core::Error(core::ErrorCode::kInvalidField, "since must be an RFC 3339 time")
                           .With("field", "since")));
  }
  app.Read(req, std::move(respond),
           [&app, place = *place, since](store::Connection& db, const service::Actor& actor) {
             return Answer(
                 200, service::ScansPerHour(db, app.env(), actor, place, since),
                 [](const std::vector<service::UserScansInHour>& rows) {
                   json::array out;
                   for (const auto& r : rows)
                     out.emplace_back(json::object{
                         {"username", r.username}, {"hour", TimeJson(r.hour)}, {"scans", r.scans}});
                   return json::object{{"hours", std::move(out)}};
                 });
           });
}

void PostNotice(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(place, OptionalInt(*body, "place_id"));
  service::NoticeInput in;
  SWB_DECODE(text, OptionalString(*body, "text"));
  SWB_DECODE(where, OptionalString(*body, "where"));
  SWB_DECODE(when, OptionalString(*body, "when"));
  SWB_DECODE(lane, OptionalString(*body, "lane"));
  in = {*text, *where, *when, *lane};
  app.Write(req, std::move(respond),
            [&app, round = *round, place = *place, in](store::Tx& tx, const service::Actor& actor) {
              return Answer(201, service::PostNotice(tx, app.env(), actor, round, place, in),
                            NoticeJson);
            });
}

void ListNotices(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  app.Read(req, std::move(respond),
           [round = *round](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListNotices(db, actor, round),
                           [](const std::vector<service::Notice>& notices) {
                             json::array out;
                             for (const auto& n : notices) out.emplace_back(NoticeJson(n));
                             return json::object{{"notices", std::move(out)}};
                           });
           });
}

void SendReminders(App& app, Request& req, Respond respond) {
  SWB_DECODE(round, PathId(req, core::ErrorCode::kUnknownRound, "round"));
  std::optional<std::int64_t> place;
  if (!req.body.empty()) {
    SWB_DECODE(body, ParseObject(req));
    SWB_DECODE(p, OptionalInt(*body, "place_id"));
    place = *p;
  }
  app.Write(req, std::move(respond),
            [&app, round = *round, place](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::SendReminders(tx, app.env(), actor, round, place),
                            [](const service::Reminders& r) {
                              return json::object{{"round_id", r.round_id},
                                                  {"place_id", r.place_id},
                                                  {"reminded", r.reminded}};
                            });
            });
}

}  // namespace

void AddStaffRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("POST", "/api/v1/staff", Needs(core::Permission::kManageStaff), bind(AddStaff));
  router.Add("GET", "/api/v1/staff", Needs(core::Permission::kReadStaff), bind(ListStaff));
  router.Add("GET", "/api/v1/staff/on-duty", Needs(core::Permission::kReadStaff), bind(OnDuty));
  router.Add("GET", "/api/v1/staff/scans-per-hour", Needs(core::Permission::kReadStaff),
             bind(ScansPerHour));
  router.Add("POST", "/api/v1/work-groups", Needs(core::Permission::kManageStaff), bind(AddGroup));
  router.Add("GET", "/api/v1/work-groups", Needs(core::Permission::kReadStaff), bind(ListGroups));
  router.Add("POST", "/api/v1/work-groups/{id}/members", Needs(core::Permission::kManageStaff),
             bind(AddMember));
  router.Add("POST", "/api/v1/shifts", Needs(core::Permission::kManageStaff), bind(AddShift));
  router.Add("POST", "/api/v1/rounds/{id}/notices", Needs(core::Permission::kManageRounds),
             bind(PostNotice));
  router.Add("GET", "/api/v1/rounds/{id}/notices", Needs(core::Permission::kReadCoverage),
             bind(ListNotices));
  router.Add("POST", "/api/v1/rounds/{id}/reminders", Needs(core::Permission::kManageRounds),
             bind(SendReminders));
}

}  // namespace swabline::http
