#pragma once
/// Each file routes_*.cpp adds one area's endpoints. Handlers: decode → one use case → encode.

#include "http/app.hpp"
#include "http/router.hpp"

namespace swabline::http {

/// The shape of every handler in routes_*.cpp: the app it serves, the request, the reply.
using AppHandler = void (*)(App&, Request&, Respond);

/// `bind(fn)` adapts an AppHandler to the router's handler, bound to `app`.
inline auto Binder(App& app) {
  return [&app](AppHandler fn) {
    return [&app, fn](Request& req, Respond respond) { fn(app, req, std::move(respond)); };
  };
}

void AddOpsRoutes(Router& router, App& app);
void AddAuthRoutes(Router& router, App& app);
void AddRegistryRoutes(Router& router, App& app);
void AddSamplingRoutes(Router& router, App& app);
void AddStatusRoutes(Router& router, App& app);
void AddTransportRoutes(Router& router, App& app);
void AddCodeRoutes(Router& router, App& app);
void AddOutbreakRoutes(Router& router, App& app);
void AddAdvisorRoutes(Router& router, App& app);
/// Sites, their queues and collectors, the round plan and the sampling rates.
void AddSiteRoutes(Router& router, App& app);
/// The zone policy, POST /zones/evaluate, and (only with a settable clock) /clock.
void AddZoneRuleRoutes(Router& router, App& app);
/// Tube batches and a site's stock.
void AddTubeBatchRoutes(Router& router, App& app);
/// Checkpoints, their scans and how long the scans are kept.
void AddCheckpointRoutes(Router& router, App& app);
/// Residents' requests and the hours each may wait.
void AddRequestRoutes(Router& router, App& app);
/// Staff, work groups, shifts, and a round's notices and reminders.
void AddStaffRoutes(Router& router, App& app);
/// The audit chain's daily anchors.
void AddAuditRoutes(Router& router, App& app);
/// The live dashboard: its snapshot, event stream and stream tickets.
void AddDashboardRoutes(Router& router, App& app);
/// A resident's own history, QR code and antigen report by personal code; POST /reports.
void AddResidentRoutes(Router& router, App& app);

/// Every route of the API.
inline Router BuildRouter(App& app) {
  Router r;
  AddOpsRoutes(r, app);
  AddAuthRoutes(r, app);
  AddRegistryRoutes(r, app);
  AddSamplingRoutes(r, app);
  AddStatusRoutes(r, app);
  AddTransportRoutes(r, app);
  AddCodeRoutes(r, app);
  AddOutbreakRoutes(r, app);
  AddAdvisorRoutes(r, app);
  AddSiteRoutes(r, app);
  AddZoneRuleRoutes(r, app);
  AddTubeBatchRoutes(r, app);
  AddCheckpointRoutes(r, app);
  AddRequestRoutes(r, app);
  AddStaffRoutes(r, app);
  AddAuditRoutes(r, app);
  AddDashboardRoutes(r, app);
  AddResidentRoutes(r, app);
  return r;
}

}  // namespace swabline::http
