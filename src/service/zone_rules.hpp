#pragma once
/// Lifting zones by the policy's rules (docs/outbreak.md, "Zones and the policy"): every
/// active zone is weighed by core::EvaluateZone against the clock, and stepped down or lifted
/// through StartZone and LiftZone, so each change has its timeline event and outbox row. The
/// server runs it once a minute; people who manage incidents may run it at once.

#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "service/zones.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct ZoneEvaluation {
  int evaluated = 0;          // active zones weighed
  std::vector<Zone> changed;  // as they are now: each zone lifted, and each zone it stepped
                              // down to (right after it), oldest first
};

/// Weighs every active zone at env.clock's time and applies what the policy decides, as
/// `actor_name` (the timeline's actor). A step-down lifts the zone and starts the next level
/// over the same place, for the same incident, with stepped_down_from set; both at the time
/// of the evaluation.
ZoneEvaluation EvaluateZones(store::Tx& tx, const Env& env, const std::string& actor_name);

/// POST /zones/evaluate: as EvaluateZones, for someone who may manage incidents, with an
/// audit record when anything changed. kForbidden.
core::Result<ZoneEvaluation> EvaluateZonesNow(store::Tx& tx, const Env& env, const Actor& actor);

}  // namespace swabline::service
