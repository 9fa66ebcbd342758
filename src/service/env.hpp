#pragma once
/// What every use case is given besides its transaction: the keys and the clock, wired in
/// main (no globals), and who is acting.

#include <cstdint>
#include <optional>
#include <string>

#include "core/civil_time.hpp"
#include "core/place.hpp"
#include "core/result.hpp"
#include "core/role.hpp"
#include "store/vault.hpp"

namespace swabline::service {

class CodeVerifier;

struct Env {
  const store::Vault& vault;
  const core::Clock& clock;
  /// A serving process's verifier with its cache; without one, codes are checked from the
  /// vault's key each time (commands and tests).
  CodeVerifier* codes = nullptr;
  /// Minutes east of UTC of the deployment's local time, which sites' hours are in
  /// (`serve --tz`, core/time_zone.hpp).
  int utc_offset_minutes = 480;
  /// `serve --strict-tubes`: a tube opens only with a barcode a tube batch issued to its site.
  bool strict_tubes = false;
};

/// The authenticated user a use case acts for.
struct Actor {
  std::int64_t user_id = 0;
  std::string username;
  core::Role role = core::Role::kViewer;
  std::optional<std::int64_t> scope_place_id;
  std::string scope_id_path;  // "" = the whole tree
  std::string scope_path;

  /// The system itself (demo seeding, command-line tools): every permission, no scope.
  static Actor System();
};

/// kForbidden unless the actor's role grants `permission`.
core::Status Require(const Actor& actor, core::Permission permission);
/// kForbidden unless the place (by its id_path) lies in the actor's subtree.
core::Status RequireInScope(const Actor& actor, const std::string& place_id_path);

/// The system clock.
class SystemClock : public core::Clock {
 public:
  core::Micros Now() const override;
};

}  // namespace swabline::service
