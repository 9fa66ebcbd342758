// Staff and volunteers, work groups, shifts, who is on duty and scans per hour.
#include "service/staff.hpp"

#include "core/text.hpp"
#include "service/place_scope.hpp"
#include "store/audit.hpp"
#include "store/staff.hpp"
#include "store/users.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr core::Micros kHour = 3600LL * 1'000'000;

StaffMember MemberOf(const store::StaffRow& r) {
  return {r.id, r.name, r.phone, r.kind, r.organisation, r.username, r.place_id};
}

core::Status RequireName(std::string_view name) {
  if (core::TrimBlanks(name).empty())
    return core::Fail(ErrorCode::kMissingField, "name must not be blank").With("field", "name");
  return core::Ok{};
}

/// The staff member, serving a place in the actor's places; kUnknownStaff otherwise (one
/// elsewhere is not the actor's to name).
core::Result<store::StaffRow> ScopedStaff(store::Connection& db, const Actor& actor,
                                          std::int64_t id) {
  auto row = store::FindStaff(db, id);
  if (!row || !core::InSubtree(row->place_id_path, actor.scope_id_path))
    return core::Fail(ErrorCode::kUnknownStaff, "no staff member with id " + std::to_string(id))
        .With("field", "staff_id");
  return std::move(*row);
}

WorkGroup GroupOf(store::Connection& db, const store::WorkGroupRow& row) {
  WorkGroup out{row.id, row.name, row.place_id, {}};
  for (std::int64_t id : row.member_ids)
    if (auto m = store::FindStaff(db, id)) out.members.push_back(MemberOf(*m));
  return out;
}

void Audit(store::Tx& tx, core::Micros now, const Actor& actor, const std::string& action,
           const std::string& entity, std::int64_t id, const std::string& detail) {
  store::AppendAudit(tx, now, {actor.username, action, entity, std::to_string(id), detail});
}

}  // namespace

core::Result<StaffMember> AddStaff(store::Tx& tx, const Env& env, const Actor& actor,
                                   const NewStaff& in) {
  SWB_TRY(Require(actor, core::Permission::kManageStaff));
  SWB_TRY(RequireName(in.name));
  if (in.kind != "cadre" && in.kind != "volunteer" && in.kind != "community_worker" &&
      in.kind != "support")
    return core::Fail(ErrorCode::kInvalidField,
                      "kind must be cadre, volunteer, community_worker or support")
        .With("field", "kind");
  SWB_TRY(ScopedPlace(tx.db(), actor, in.place_id));
  if (in.username && !store::FindUserByName(tx.db(), *in.username))
    return core::Fail(ErrorCode::kUnknownAssignee, "no user named '" + *in.username + "'")
        .With("field", "username");
  store::StaffRow row{0,
                      std::string(core::TrimBlanks(in.name)),
                      in.phone,
                      in.kind,
                      in.organisation,
                      in.username,
                      in.place_id,
                      ""};
  const core::Micros now = env.clock.Now();
  row.id = store::InsertStaff(tx, row, now);
  Audit(tx, now, actor, "staff.add", "staff", row.id,
        row.kind + " at place " + std::to_string(row.place_id));
  return MemberOf(row);
}

core::Result<StaffPage> ListStaff(store::Connection& db, const Actor& actor,
                                  std::optional<std::int64_t> place_id, std::int64_t cursor,
                                  int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadStaff));
  std::string under;
  SWB_TRY_ASSIGN(under, ListedIdPath(db, actor, place_id));
  StaffPage page;
  std::vector<store::StaffRow> rows = store::ListStaffRows(db, under, cursor, limit + 1);
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = rows.back().id;
  }
  for (const store::StaffRow& r : rows) page.staff.push_back(MemberOf(r));
  return page;
}

core::Result<WorkGroup> AddWorkGroup(store::Tx& tx, const Env& env, const Actor& actor,
                                     const std::string& name, std::int64_t place_id) {
  SWB_TRY(Require(actor, core::Permission::kManageStaff));
  SWB_TRY(RequireName(name));
  SWB_TRY(ScopedPlace(tx.db(), actor, place_id));
  const core::Micros now = env.clock.Now();
  store::WorkGroupRow row{0, std::string(core::TrimBlanks(name)), place_id, "", {}};
  row.id = store::InsertWorkGroup(tx, row, now);
  Audit(tx, now, actor, "work_group.add", "work_group", row.id, row.name);
  return GroupOf(tx.db(), row);
}

core::Result<WorkGroup> AddWorkGroupMember(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t group_id, std::int64_t staff_id) {
  SWB_TRY(Require(actor, core::Permission::kManageStaff));
  auto group = store::FindWorkGroup(tx.db(), group_id);
  if (!group || !core::InSubtree(group->place_id_path, actor.scope_id_path))
    return core::Fail(ErrorCode::kUnknownWorkGroup,
                      "no work group with id " + std::to_string(group_id));
  SWB_TRY(ScopedStaff(tx.db(), actor, staff_id));
  store::AddWorkGroupMember(tx, group_id, staff_id);
  Audit(tx, env.clock.Now(), actor, "work_group.member", "work_group", group_id,
        "staff " + std::to_string(staff_id));
  return GroupOf(tx.db(), *store::FindWorkGroup(tx.db(), group_id));
}

core::Result<std::vector<WorkGroup>> ListWorkGroups(store::Connection& db, const Actor& actor,
                                                    std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadStaff));
  std::string under;
  SWB_TRY_ASSIGN(under, ListedIdPath(db, actor, place_id));
  std::vector<WorkGroup> out;
  for (const store::WorkGroupRow& row : store::ListWorkGroupRows(db, under))
    out.push_back(GroupOf(db, row));
  return out;
}

core::Result<Shift> AddShift(store::Tx& tx, const Env& env, const Actor& actor,
                             const NewShift& in) {
  SWB_TRY(Require(actor, core::Permission::kManageStaff));
  store::StaffRow staff;
  SWB_TRY_ASSIGN(staff, ScopedStaff(tx.db(), actor, in.staff_id));
  core::Place place;
  SWB_TRY_ASSIGN(place, ScopedPlace(tx.db(), actor, in.place_id));
  if (in.ends_at <= in.starts_at)
    return core::Fail(ErrorCode::kInvalidField, "ends_at must be after starts_at")
        .With("field", "ends_at");
  store::ShiftRow row{0, in.staff_id, in.place_id, in.starts_at, in.ends_at, in.duty, place.name};
  const core::Micros now = env.clock.Now();
  row.id = store::InsertShift(tx, row, now);
  Audit(tx, now, actor, "shift.add", "shift", row.id,
        "staff " + std::to_string(in.staff_id) + " at place " + std::to_string(in.place_id));
  return Shift{row.id,        MemberOf(staff), row.place_id, row.place_name,
               row.starts_at, row.ends_at,     row.duty};
}

core::Result<std::vector<Shift>> OnDuty(store::Connection& db, const Env& env, const Actor& actor,
                                        std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadStaff));
  std::string under;
  SWB_TRY_ASSIGN(under, ListedIdPath(db, actor, place_id));
  std::vector<Shift> out;
  for (const store::ShiftRow& row : store::ShiftsAt(db, under, env.clock.Now())) {
    auto staff = store::FindStaff(db, row.staff_id);
    if (!staff) continue;
    out.push_back({row.id, MemberOf(*staff), row.place_id, row.place_name, row.starts_at,
                   row.ends_at, row.duty});
  }
  return out;
}

core::Result<std::vector<UserScansInHour>> ScansPerHour(store::Connection& db, const Env& env,
                                                        const Actor& actor,
                                                        std::optional<std::int64_t> place_id,
                                                        std::optional<core::Micros> since) {
  SWB_TRY(Require(actor, core::Permission::kReadStaff));
  std::string under;
  SWB_TRY_ASSIGN(under, ListedIdPath(db, actor, place_id));
  const core::Micros now = env.clock.Now();
  const core::Micros from = since.value_or(now - 24 * kHour);
  if (from < now - 7 * (24 * kHour))
    return core::Fail(ErrorCode::kInvalidField, "since may be at most 7 days back")
        .With("field", "since");
  std::vector<UserScansInHour> out;
  for (store::ScansInHour& s : store::ScansPerHour(db, under, from))
    out.push_back({std::move(s.username), s.hour, s.scans});
  return out;
}

}  // namespace swabline::service
