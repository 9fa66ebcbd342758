#pragma once
/// Rows of residents' requests and their timelines (docs/api.md, "Community operations").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct RequestRow {
  std::int64_t id = 0;
  std::int64_t resident_id = 0;
  std::string category;
  std::string detail;
  std::string status = "open";
  std::string source;      // resident, staff
  std::string created_by;  // a username, or "resident"
  std::optional<std::string> assignee;
  std::optional<std::string> resolution;
  std::int64_t created_at = 0;
  std::int64_t due_at = 0;
  std::optional<std::int64_t> closed_at;
  // Read with the row, not stored on it:
  std::string person_name;
  std::string person_masked;
  std::int64_t home_place_id = 0;
  std::string home_id_path;
  bool zoned = false;  // the home lies under an active temporary, controlled or sealed zone
};

/// Inserts the request (id, status and the read-only members ignored); returns its id.
std::int64_t InsertRequest(Tx& tx, const RequestRow& row);
std::optional<RequestRow> FindRequest(Connection& db, std::int64_t id);
void AssignRequestRow(Tx& tx, std::int64_t id, std::string_view assignee);
void CloseRequestRow(Tx& tx, std::int64_t id, std::string_view resolution, std::int64_t now);

struct RequestEventRow {
  std::int64_t at = 0;
  std::string event;  // created, assigned, comment, closed
  std::string detail;
  std::string actor;
};
void AppendRequestEvent(Tx& tx, std::int64_t request_id, const RequestEventRow& row);
/// The request's timeline, oldest first.
std::vector<RequestEventRow> RequestEvents(Connection& db, std::int64_t request_id);

struct RequestFilter {
  /// open: every request not closed; assigned, closed: that status; nullopt: any.
  std::optional<std::string> status;
  std::optional<std::int64_t> overdue_at;  // not closed and due before this instant
  std::string under_id_path;               // the person's home at or under it
  std::int64_t offset = 0;
  int limit = 100;
};
/// Requests of people at or under the filter's place: those whose home is under a zone in
/// force first, then by due time, then by id; `limit` rows from `offset`.
std::vector<RequestRow> ListRequestRows(Connection& db, const RequestFilter& filter);

}  // namespace swabline::store
