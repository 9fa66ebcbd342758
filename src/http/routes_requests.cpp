// Residents' requests and the hours each category may wait (docs/api.md, "Community
// operations"; tag community in docs/openapi.yaml).
#include "http/decode.hpp"
#include "http/routes.hpp"
#include "service/requests.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::array EventsJson(const std::vector<service::RequestEvent>& events, bool comments) {
  json::array out;
  for (const auto& e : events) {
    json::object o{{"at", TimeJson(e.at)}, {"actor", e.actor}};
    if (comments) {
      o["text"] = e.detail;
    } else {
      o["event"] = e.event;
      o["detail"] = e.detail;
    }
    out.emplace_back(std::move(o));
  }
  return out;
}

json::value OptText(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object RequestJson(const service::ResidentRequest& r) {
  json::object o{{"id", r.id},
                 {"status", r.status},
                 {"category", r.category},
                 {"detail", r.detail},
                 {"person", PersonBriefJson(r.person)},
                 {"place_id", r.place_id},
                 {"source", r.source},
                 {"created_by", r.created_by},
                 {"assignee", OptText(r.assignee)},
                 {"resolution", OptText(r.resolution)},
                 {"created_at", TimeJson(r.created_at)},
                 {"due_at", TimeJson(r.due_at)},
                 {"closed_at", TimeJson(r.closed_at)},
                 {"overdue", r.overdue},
                 {"zoned", r.zoned}};
  if (r.detailed) {
    o["comments"] = EventsJson(r.comments, true);
    o["timeline"] = EventsJson(r.timeline, false);
  }
  return o;
}

void Submit(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(person, RequireString(*body, "person"));
  SWB_DECODE(category, RequireString(*body, "category"));
  SWB_DECODE(detail, RequireString(*body, "detail"));
  if (!req.BearerToken().empty())
    return app.Write(
        req, std::move(respond),
        [&app, person = *person, category = *category, detail = *detail](
            store::Tx& tx, const service::Actor& actor) {
          return Answer(201, service::SubmitRequest(tx, app.env(), actor, person, category, detail),
                        RequestJson);
        });
  // No token: a resident, who may name only themselves, by their personal code. Limited per
  // address: else a way to try guessed codes, and to fill the requests list, by the million.
  const core::Micros now = app.env().clock.Now();
  if (!app.request_submissions().Take(req.remote, now))
    return respond(RateLimitedReply(app.request_submissions(), req.remote, now,
                                    "too many requests sent from this address; wait and try "
                                    "again"));
  app.WriteAsResident(
      req, std::move(respond),
      [&app, code = *person](store::Tx& tx) {
        return service::ResidentOfCode(tx.db(), app.env(), code);
      },
      [&app, category = *category, detail = *detail](store::Tx& tx, std::int64_t resident) {
        return Answer(201, service::SubmitOwnRequest(tx, app.env(), resident, category, detail),
                      RequestJson);
      });
}

void List(App& app, Request& req, Respond respond) {
  SWB_DECODE(status, QueryWord(req, "status", {"open", "assigned", "closed"}));
  SWB_DECODE(overdue, QueryWord(req, "overdue", {"true", "false"}));
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  SWB_DECODE(paging, ParsePaging(req, 100, 1000));
  service::RequestQuery query{*status, *overdue == "true", *place, paging->cursor, paging->limit};
  app.Read(req, std::move(respond),
           [&app, query](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::ListRequests(db, app.env(), actor, query),
                           [](const service::RequestPage& p) {
                             return PageJson("requests", p.requests, p.next_cursor, RequestJson);
                           });
           });
}

void Get(App& app, Request& req, Respond respond) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownRequest, "request"));
  app.Read(req, std::move(respond),
           [&app, id = *id](store::Connection& db, const service::Actor& actor) {
             return Answer(200, service::GetRequest(db, app.env(), actor, id), RequestJson);
           });
}

/// A state change: `{id}` and one string member of the body, handed to `change`. A member
/// that is absent reads as "", so the use case answers its own error (resolution_required).
using Change = core::Result<service::ResidentRequest> (*)(store::Tx&, const service::Env&,
                                                          const service::Actor&, std::int64_t,
                                                          const std::string&);
void ChangeWith(App& app, Request& req, Respond respond, std::string_view member, Change change) {
  SWB_DECODE(id, PathId(req, core::ErrorCode::kUnknownRequest, "request"));
  SWB_DECODE(body, ParseObject(req));
  SWB_DECODE(value, OptionalString(*body, member));
  app.Write(req, std::move(respond),
            [&app, id = *id, value = value->value_or(""), change](store::Tx& tx,
                                                                  const service::Actor& actor) {
              return Answer(200, change(tx, app.env(), actor, id, value), RequestJson);
            });
}

json::object DueJson(const service::RequestDueSettings& s) {
  json::object hours;
  for (core::RequestCategory c : core::kRequestCategories)
    hours[core::RequestCategoryName(c)] = s.hours.Of(c);
  return json::object{
      {"hours", std::move(hours)},
      {"updated_at", TimeJson(s.updated_at)},
      {"updated_by", s.updated_by.empty() ? json::value(nullptr) : json::value(s.updated_by)}};
}

void GetDue(App& app, Request& req, Respond respond) {
  app.Read(req, std::move(respond), [](store::Connection& db, const service::Actor& actor) {
    return Answer(200, service::GetRequestDueSettings(db, actor), DueJson);
  });
}

void PutDue(App& app, Request& req, Respond respond) {
  SWB_DECODE(body, ParseObject(req));
  const json::value* hours = body->if_contains("hours");
  if (!hours || !hours->is_object())
    return respond(ProblemReply(
        core::Error(core::ErrorCode::kMissingField, "hours must be an object of category: hours")
            .With("field", "hours")));
  std::vector<std::pair<std::string, std::int64_t>> entries;
  for (const auto& [name, value] : hours->get_object()) {
    if (!value.is_int64())
      return respond(ProblemReply(
          core::Error(core::ErrorCode::kInvalidField, std::string(name) + " must be whole hours")
              .With("field", std::string(name))));
    entries.emplace_back(std::string(name), value.get_int64());
  }
  app.Write(req, std::move(respond),
            [&app, entries = std::move(entries)](store::Tx& tx, const service::Actor& actor) {
              return Answer(200, service::PutRequestDueSettings(tx, app.env(), actor, entries),
                            DueJson);
            });
}

}  // namespace

void AddRequestRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  auto change = [&app](std::string_view member, Change fn) {
    return [&app, member, fn](Request& req, Respond respond) {
      ChangeWith(app, req, std::move(respond), member, fn);
    };
  };
  // Public: a resident sends one with their personal code; staff send a token (Submit).
  router.Add("POST", "/api/v1/requests", Public(), bind(Submit));
  router.Add("GET", "/api/v1/requests", Needs(core::Permission::kReadRequests), bind(List));
  router.Add("GET", "/api/v1/requests/{id}", Needs(core::Permission::kReadRequests), bind(Get));
  router.Add("POST", "/api/v1/requests/{id}/assign", Needs(core::Permission::kManageRequests),
             change("assignee", service::AssignRequest));
  router.Add("POST", "/api/v1/requests/{id}/close", Needs(core::Permission::kManageRequests),
             change("resolution", service::CloseRequest));
  router.Add("POST", "/api/v1/requests/{id}/comments", Needs(core::Permission::kManageRequests),
             change("text", service::CommentOnRequest));
  router.Add("GET", "/api/v1/settings/request-due", Needs(core::Permission::kReadRequests),
             bind(GetDue));
  router.Add("PUT", "/api/v1/settings/request-due", Needs(core::Permission::kManageSettings),
             bind(PutDue));
}

}  // namespace swabline::http
