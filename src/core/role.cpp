#include "core/role.hpp"

#include <array>

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 8> kRoleNames = {
    "admin", "command", "community", "recorder", "courier", "lab", "viewer", "guard"};

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

bool RoleMay(Role role, Permission p) {
  using P = Permission;
  switch (role) {
    case Role::kAdmin: return true;
    case Role::kCommand:
      // Reads everything; acts on rounds, zones and incidents.
      return p == P::kReadPlaces || p == P::kReadResidents || p == P::kManageRounds ||
             p == P::kReadTubes || p == P::kReadStatus || p == P::kReadCoverage ||
             p == P::kManageIncidents || p == P::kReadIncidents || p == P::kReadAudit ||
             p == P::kReadRequests || p == P::kReadStaff;
    case Role::kCommunity:
      return p == P::kReadPlaces || p == P::kReadResidents || p == P::kWriteRegistry ||
             p == P::kRevealIdNumbers || p == P::kManageRounds || p == P::kManageSites ||
             p == P::kReadTubes || p == P::kReadStatus || p == P::kReadCoverage ||
             p == P::kManageIncidents || p == P::kReadIncidents || p == P::kReportAntigen ||
             p == P::kCountQueue || p == P::kGateScan || p == P::kManageRequests ||
             p == P::kReadRequests || p == P::kManageStaff || p == P::kReadStaff;
    case Role::kRecorder:
      return p == P::kReadPlaces || p == P::kSample || p == P::kReadTubes || p == P::kReadStatus ||
             p == P::kReportAntigen || p == P::kCountQueue;
    case Role::kCourier: return p == P::kReadPlaces || p == P::kTransport || p == P::kReadTubes;
    case Role::kLab: return p == P::kReadPlaces || p == P::kLab || p == P::kReadTubes;
    case Role::kViewer:
      return p == P::kReadPlaces || p == P::kReadResidents || p == P::kReadTubes ||
             p == P::kReadStatus || p == P::kReadCoverage || p == P::kReadIncidents ||
             p == P::kReadRequests || p == P::kReadStaff;
    case Role::kGuard: return p == P::kReadPlaces || p == P::kGateScan;
  }
  return false;
}

}  // namespace swabline::core
