#pragma once
/// Rows of staff and volunteers, their work groups and shifts, and the samples each user
/// recorded (docs/api.md, "Community operations"). A staff member is not a user: a volunteer
/// who never signs in is a row here all the same.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct StaffRow {
  std::int64_t id = 0;
  std::string name;
  std::string phone;
  std::string kind;  // cadre, volunteer, community_worker, support
  std::string organisation;
  std::optional<std::string> username;
  std::int64_t place_id = 0;
  std::string place_id_path;  // read, not stored
};

std::int64_t InsertStaff(Tx& tx, const StaffRow& row, std::int64_t now);
std::optional<StaffRow> FindStaff(Connection& db, std::int64_t id);
/// Staff whose place is at or under `under_id_path`, by id after `cursor`, at most `limit`.
std::vector<StaffRow> ListStaffRows(Connection& db, const std::string& under_id_path,
                                    std::int64_t cursor, int limit);

struct WorkGroupRow {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::string place_id_path;  // read, not stored
  std::vector<std::int64_t> member_ids;
};
std::int64_t InsertWorkGroup(Tx& tx, const WorkGroupRow& row, std::int64_t now);
/// The group with its members' ids.
std::optional<WorkGroupRow> FindWorkGroup(Connection& db, std::int64_t id);
/// Adds the member; adding one twice changes nothing.
void AddWorkGroupMember(Tx& tx, std::int64_t group_id, std::int64_t staff_id);
/// Groups whose place is at or under `under_id_path`, oldest first.
std::vector<WorkGroupRow> ListWorkGroupRows(Connection& db, const std::string& under_id_path);

struct ShiftRow {
  std::int64_t id = 0;
  std::int64_t staff_id = 0;
  std::int64_t place_id = 0;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::string duty;
  std::string place_name;  // read, not stored
};
std::int64_t InsertShift(Tx& tx, const ShiftRow& row, std::int64_t now);
/// Shifts at places at or under `under_id_path` running at `at` (starts_at <= at < ends_at),
/// by place then start.
std::vector<ShiftRow> ShiftsAt(Connection& db, const std::string& under_id_path, std::int64_t at);

struct ScansInHour {
  std::string username;
  std::int64_t hour = 0;  // the hour's start, microseconds
  std::int64_t scans = 0;
};
/// Valid samples recorded at or after `since` at sites at or under `under_id_path`, per
/// recorder and hour, hour first. Reads the samples since then one by one (no index on time:
/// the scan path stays as it is), so callers keep `since` to a day or so.
std::vector<ScansInHour> ScansPerHour(Connection& db, const std::string& under_id_path,
                                      std::int64_t since);

}  // namespace swabline::store
