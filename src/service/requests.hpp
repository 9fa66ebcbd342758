#pragma once
/// Residents' requests (docs/api.md, "Community operations"): medicine, food, a medical visit,
/// a health-code pop-up or anything else, sent by the resident with their personal code or
/// logged by staff; assigned, commented on and closed, overdue ones surfaced. One function per
/// use case; each change writes the request's timeline and an audit record.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/request.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "service/sampling.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct RequestEvent {
  core::Micros at = 0;
  std::string event;  // created, assigned, comment, closed
  std::string detail;
  std::string actor;
};

struct ResidentRequest {
  std::int64_t id = 0;
  std::string status;  // open, assigned, closed
  std::string category;
  std::string detail;
  PersonBrief person;
  std::int64_t place_id = 0;  // the person's home
  std::string source;         // resident, staff
  std::string created_by;     // a username, or "resident"
  std::optional<std::string> assignee;
  std::optional<std::string> resolution;
  core::Micros created_at = 0;
  core::Micros due_at = 0;
  std::optional<core::Micros> closed_at;
  bool overdue = false;  // not closed and past due_at, at the time of the answer
  bool zoned = false;    // the home lies under a temporary, controlled or sealed zone in force
  // Filled when `detailed` (one request, and each state change's answer).
  bool detailed = false;
  std::vector<RequestEvent> comments;
  std::vector<RequestEvent> timeline;
};

/// Staff log a request for a person in their places. kForbidden (manage_requests, scope),
/// kInvalidField (category), kMissingField (detail empty), person look-up errors,
/// kUnknownPerson.
core::Result<ResidentRequest> SubmitRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                            const std::string& person, const std::string& category,
                                            const std::string& detail);

/// The resident named by a personal code sent without a token (kUnauthenticated for anything
/// that is not shaped like a personal code: an ID number or a resident id proves nothing;
/// kInvalidPersonalCode for a bad or revoked code).
core::Result<std::int64_t> ResidentOfCode(store::Connection& db, const Env& env,
                                          const std::string& code);

/// A resident's own request, sent with their personal code (already resolved by
/// ResidentOfCode). kInvalidField (category), kMissingField (detail empty).
core::Result<ResidentRequest> SubmitOwnRequest(store::Tx& tx, const Env& env,
                                               std::int64_t resident_id,
                                               const std::string& category,
                                               const std::string& detail);

/// kForbidden, kUnknownRequest, kRequestClosed, kUnknownAssignee (no user of that name).
core::Result<ResidentRequest> AssignRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                            std::int64_t id, const std::string& assignee);

/// kForbidden, kUnknownRequest, kResolutionRequired (blank), kRequestClosed.
core::Result<ResidentRequest> CloseRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t id, const std::string& resolution);

/// A comment on the timeline, closed requests included (what happened after). kForbidden,
/// kUnknownRequest, kMissingField (blank text).
core::Result<ResidentRequest> CommentOnRequest(store::Tx& tx, const Env& env, const Actor& actor,
                                               std::int64_t id, const std::string& text);

/// One request with its comments and timeline. kForbidden (read_requests, scope),
/// kUnknownRequest.
core::Result<ResidentRequest> GetRequest(store::Connection& db, const Env& env, const Actor& actor,
                                         std::int64_t id);

struct RequestPage {
  std::vector<ResidentRequest> requests;
  std::optional<std::int64_t> next_cursor;  // the offset of the next page
};

struct RequestQuery {
  std::optional<std::string> status;  // open (every request not closed), assigned, closed
  bool overdue = false;
  std::optional<std::int64_t> place_id;
  std::int64_t cursor = 0;  // an offset: the order (zone first, then due time) is not by id
  int limit = 100;
};

/// Requests of people living at or under the place (the actor's places when none): those
/// under a zone in force first, then by due time. kForbidden, kUnknownPlace, kInvalidField.
core::Result<RequestPage> ListRequests(store::Connection& db, const Env& env, const Actor& actor,
                                       const RequestQuery& query);

struct RequestDueSettings {
  core::RequestDueHours hours;
  std::optional<core::Micros> updated_at;  // nullopt: the defaults, never stored
  std::string updated_by;
};

/// The hours each category may wait (the settings row "request_due_hours"), or the defaults.
/// kForbidden without read_requests.
core::Result<RequestDueSettings> GetRequestDueSettings(store::Connection& db, const Actor& actor);

/// Changes the hours of the categories named (admin only: kForbidden), keeping the others;
/// audited as settings.request_due_hours. kInvalidField naming an unknown category or hours
/// outside 1 to core::kMaxRequestDueHours. Requests already made keep their due time.
core::Result<RequestDueSettings> PutRequestDueSettings(
    store::Tx& tx, const Env& env, const Actor& actor,
    const std::vector<std::pair<std::string, std::int64_t>>& hours);

}  // namespace swabline::service
