// The live dashboard: its snapshot, its event stream and the stream's tickets
// (docs/api.md, "Live dashboard"; tag dashboard in docs/openapi.yaml).
#include <charconv>

#include "core/civil_time.hpp"
#include "http/decode.hpp"
#include "http/problem.hpp"
#include "http/routes.hpp"
#include "service/dashboard.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::value Hours(const std::optional<double>& h) {
  if (!h) return nullptr;
  return *h;
}

json::object DashboardJson(const service::Dashboard& d) {
  json::array communities;
  for (const service::DashboardCommunity& c : d.communities) {
    json::array hours;
    for (std::int64_t n : c.samples_by_hour) hours.emplace_back(n);
    communities.emplace_back(json::object{{"id", c.id},
                                          {"name", c.name},
                                          {"path", c.path},
                                          {"samples", c.samples},
                                          {"positives", c.positives},
                                          {"samples_by_hour", std::move(hours)}});
  }
  json::array incidents;
  for (const service::DashboardIncident& i : d.open_incidents)
    incidents.emplace_back(json::object{{"id", i.id},
                                        {"kind", i.kind},
                                        {"opened_at", core::FormatRfc3339(i.opened_at)},
                                        {"age_hours", i.age_hours}});
  return json::object{{"generated_at", core::FormatRfc3339(d.generated_at)},
                      {"day_start", core::FormatRfc3339(d.day_start)},
                      {"last_event_id", std::to_string(d.last_event_id)},
                      {"communities", std::move(communities)},
                      {"samples", d.samples},
                      {"resulted_tubes", d.resulted_tubes},
                      {"positives", d.positives},
                      {"turnaround_hours", json::object{{"p50", Hours(d.p50_hours)},
                                                        {"p90", Hours(d.p90_hours)},
                                                        {"p99", Hours(d.p99_hours)}}},
                      {"open_incidents", std::move(incidents)},
                      {"open_incidents_total", d.open_incidents_total},
                      {"zones_in_force", d.zones_in_force},
                      {"zones_sealed", d.zones_sealed},
                      {"overdue_tasks", d.overdue_tasks},
                      {"open_requests", d.open_requests},
                      {"overdue_requests", d.overdue_requests}};
}

void GetDashboard(App& app, Request& req, Respond respond) {
  SWB_DECODE(place, QueryId(req, "place_id", core::ErrorCode::kUnknownPlace, "place"));
  app.Read(req, std::move(respond),
           [&app, place = *place](store::Connection& db, const service::Actor& actor) {
             // The feed's newest id before the read: an event committed just before the read
             // may be counted twice, none is lost.
             const std::uint64_t newest = app.feed().Newest();
             return Answer(200, service::GetDashboard(db, app.env(), actor, place, newest),
                           DashboardJson);
           });
}

void IssueTicket(App& app, Request& req, Respond respond) {
  app.Authenticated(req, std::move(respond), [&app](const service::Actor& actor, const Respond& r) {
    if (auto denied = service::Require(actor, core::Permission::kReadIncidents); !denied)
      return r(ProblemReply(denied.error()));
    auto issued = app.stream_tickets().Issue(actor, app.env().clock.Now());
    if (!issued)
      return r(ProblemReply(core::ErrorCode::kBusy,
                            "too many stream tickets wait unused; retry shortly"));
    r(JsonReply(201, json::object{{"ticket", issued->ticket},
                                  {"expires_at", core::FormatRfc3339(issued->expires_at)}}));
  });
}

/// Where the stream resumes: the Last-Event-ID header an EventSource sends when it
/// reconnects, else ?last_event_id= (a new EventSource cannot send the header).
std::optional<std::uint64_t> ResumeFrom(const Request& req) {
  std::string text = req.last_event_id;
  if (text.empty()) text = req.Query("last_event_id").value_or("");
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

Reply StreamReply(const service::Actor& actor, const Request& req) {
  if (auto denied = service::Require(actor, core::Permission::kReadIncidents); !denied)
    return ProblemReply(denied.error());
  Reply r;
  r.content_type = "text/event-stream";
  r.stream = EventStreamStart{actor.scope_place_id, ResumeFrom(req)};
  return r;
}

/// A stream is opened with a ticket (browsers) or a bearer token (other clients), never with
/// a session token in the URL.
void OpenStream(App& app, Request& req, Respond respond) {
  if (auto ticket = req.Query("ticket")) {
    auto actor = app.stream_tickets().Redeem(*ticket, app.env().clock.Now());
    if (!actor)
      return respond(ProblemReply(core::ErrorCode::kInvalidTicket,
                                  "this stream ticket was used already, has expired or is "
                                  "unknown: ask POST /api/v1/events/ticket for a new one"));
    return respond(StreamReply(*actor, req));
  }
  if (req.BearerToken().empty())
    return respond(ProblemReply(core::ErrorCode::kUnauthenticated,
                                "send Authorization: Bearer <token>, or ?ticket= from POST "
                                "/api/v1/events/ticket"));
  app.Authenticated(req, std::move(respond), [req](const service::Actor& actor, const Respond& r) {
    r(StreamReply(actor, req));
  });
}

}  // namespace

void AddDashboardRoutes(Router& router, App& app) {
  const auto bind = Binder(app);
  router.Add("GET", "/api/v1/dashboard", Needs(core::Permission::kReadIncidents),
             bind(GetDashboard));
  router.Add("POST", "/api/v1/events/ticket", Needs(core::Permission::kReadIncidents),
             bind(IssueTicket));
  // Authenticated by the handler itself: a ticket in the query stands for the token.
  // Public at the router: a ticket (EventSource sends no header) or a token decides inside.
  router.Add("GET", "/api/v1/events", Public(), bind(OpenStream));
}

}  // namespace swabline::http
