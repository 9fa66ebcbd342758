#pragma once
/// Staff and volunteers (docs/api.md, "Community operations"): sent-down cadres, volunteers,
/// community workers and support staff, each serving a community; work groups of them; their
/// shifts; who is on duty now; and how many samples each user records per hour. A staff
/// member may name the user they sign in as, but need not have one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct StaffMember {
  std::int64_t id = 0;
  std::string name;
  std::string phone;
  std::string kind;  // cadre, volunteer, community_worker, support
  std::string organisation;
  std::optional<std::string> username;
  std::int64_t place_id = 0;  // the community they serve
};

struct NewStaff {
  std::string name;
  std::string phone;
  std::string kind;
  std::string organisation;
  std::optional<std::string> username;
  std::int64_t place_id = 0;
};

/// kForbidden (manage_staff, scope), kMissingField (blank name), kInvalidField (kind),
/// kUnknownPlace, kUnknownAssignee (a username no user has).
core::Result<StaffMember> AddStaff(store::Tx& tx, const Env& env, const Actor& actor,
                                   const NewStaff& in);

struct StaffPage {
  std::vector<StaffMember> staff;
  std::optional<std::int64_t> next_cursor;
};
/// Staff serving places at or under `place_id` (the actor's places when none), by id.
/// kForbidden, kUnknownPlace.
core::Result<StaffPage> ListStaff(store::Connection& db, const Actor& actor,
                                  std::optional<std::int64_t> place_id, std::int64_t cursor,
                                  int limit);

struct WorkGroup {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::vector<StaffMember> members;
};

/// kForbidden, kMissingField (blank name), kUnknownPlace.
core::Result<WorkGroup> AddWorkGroup(store::Tx& tx, const Env& env, const Actor& actor,
                                     const std::string& name, std::int64_t place_id);
/// Adds a staff member to the group (again: no change). kForbidden, kUnknownWorkGroup,
/// kUnknownStaff (also one outside the actor's places).
core::Result<WorkGroup> AddWorkGroupMember(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t group_id, std::int64_t staff_id);
/// Groups at or under the place (the actor's places when none). kForbidden, kUnknownPlace.
core::Result<std::vector<WorkGroup>> ListWorkGroups(store::Connection& db, const Actor& actor,
                                                    std::optional<std::int64_t> place_id);

struct Shift {
  std::int64_t id = 0;
  StaffMember staff;
  std::int64_t place_id = 0;
  std::string place_name;
  core::Micros starts_at = 0;
  core::Micros ends_at = 0;
  std::string duty;
};

struct NewShift {
  std::int64_t staff_id = 0;
  std::int64_t place_id = 0;
  core::Micros starts_at = 0;
  core::Micros ends_at = 0;
  std::string duty;
};
/// kForbidden, kUnknownStaff, kUnknownPlace, kInvalidField (ends_at not after starts_at).
core::Result<Shift> AddShift(store::Tx& tx, const Env& env, const Actor& actor, const NewShift& in);

/// Shifts running now at places at or under the place (the actor's places when none).
/// kForbidden (read_staff), kUnknownPlace.
core::Result<std::vector<Shift>> OnDuty(store::Connection& db, const Env& env, const Actor& actor,
                                        std::optional<std::int64_t> place_id);

struct UserScansInHour {
  std::string username;
  core::Micros hour = 0;
  std::int64_t scans = 0;
};
/// Valid samples per recorder and hour, at sites at or under the place, since `since` (the
/// last 24 hours when none; at most 7 days back: older is refused with kInvalidField).
/// kForbidden (read_staff), kUnknownPlace.
core::Result<std::vector<UserScansInHour>> ScansPerHour(store::Connection& db, const Env& env,
                                                        const Actor& actor,
                                                        std::optional<std::int64_t> place_id,
                                                        std::optional<core::Micros> since);

}  // namespace swabline::service
