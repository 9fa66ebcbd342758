#include "service/env.hpp"

#include <chrono>

namespace swabline::service {

Actor Actor::System() {
  Actor a;
  a.username = "system";
  a.role = core::Role::kAdmin;
  return a;
}

core::Status Require(const Actor& actor, core::Permission permission) {
  if (core::RoleMay(actor.role, permission)) return core::Ok{};
  return core::Fail(core::ErrorCode::kForbidden,
                    "the role '" + std::string(core::RoleName(actor.role)) + "' may not do this");
}

core::Status RequireInScope(const Actor& actor, const std::string& place_id_path) {
  if (actor.scope_id_path.empty() || core::InSubtree(place_id_path, actor.scope_id_path))
    return core::Ok{};
  return core::Fail(core::ErrorCode::kForbidden,
                    "this lies outside your places (" + actor.scope_path + ")");
}

core::Micros SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace swabline::service
