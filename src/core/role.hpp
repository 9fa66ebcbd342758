#pragma once
/// Roles and what each may do (docs/api.md, Conventions). Every check is also limited to the
/// user's place subtree; that part is decided where the place is known.

#include <optional>
#include <string_view>

namespace swabline::core {

enum class Role { kAdmin, kCommand, kCommunity, kRecorder, kCourier, kLab, kViewer, kGuard };

enum class Permission {
  kReadPlaces,
  kReadResidents,
  kWriteRegistry,
  kRevealIdNumbers,
  kManageUsers,
  kManageRounds,
  kManageSites,
  kSample,
  kReadTubes,
  kReadStatus,
  kTransport,
  kLab,
  kReadCoverage,
  kManageIncidents,
  kReadIncidents,  // incidents, zones and tasks
  kReportAntigen,  // POST /reports: a resident's antigen-positive self-test
  kReadAudit,
  kCountQueue,      // a site's queue and collectors on shift
  kGateScan,        // scan people at a checkpoint and read its log
  kManageRequests,  // residents' requests, and notices and reminders of a round
  kReadRequests,
  kManageStaff,  // staff and volunteers, work groups, shifts
  kReadStaff,
  kManageSettings,  // deployment-wide settings and the settable clock: admin only
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
bool RoleMay(Role role, Permission permission);

}  // namespace swabline::core
