#include "service/zone_rules.hpp"

#include <limits>

#include "core/zone_policy.hpp"
#include "service/zone_policy.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

/// What lifting cares about in the zone's place: the latest positive, and the rounds sampled
/// there since the zone started (an earlier one cannot fall on its last day).
core::ZoneFacts FactsOf(store::Connection& db, const store::ZoneRow& zone, core::ZoneLevel level) {
  core::ZoneFacts facts;
  facts.level = level;
  facts.started_at = zone.started_at;
  if (zone.stepped_down_from)
    facts.stepped_down_from = core::ParseZoneLevel(*zone.stepped_down_from);
  auto place = store::FindPlace(db, zone.place_id);
  if (!place) return facts;
  facts.last_positive_at = store::LastPositiveInPlace(db, place->id_path);
  for (const store::PlaceRoundRow& r : store::RoundsInPlace(db, place->id_path, zone.started_at)) {
    core::RoundFact fact;
    fact.sampled_at = r.last_sampled_at;
    // A round with a sample still unresulted is not known yet: never all-negative.
    fact.resulted_at = r.last_resulted_at.value_or(std::numeric_limits<core::Micros>::max());
    fact.all_negative = r.samples > 0 && r.negatives == r.samples;
    facts.rounds.push_back(fact);
  }
  return facts;
}

void Apply(ChangeBy& by, const store::ZoneRow& zone, core::ZoneLevel level,
           const core::ZoneDecision& decision, ZoneEvaluation& out) {
  if (decision.action == core::ZoneAction::kKeep) return;
  if (decision.action == core::ZoneAction::kLift) {
    LiftZone(by, zone, "lifted by the policy's rule: " + decision.reason.detail);
    out.changed.push_back(ZoneOf(*store::FindZone(by.tx.db(), zone.id)));
    return;
  }
  const core::ZoneLevel next = *decision.step_down_to;
  LiftZone(by, zone,
           "stepped down to " + std::string(core::ZoneLevelName(next)) +
               " by the policy's rule: " + decision.reason.detail);
  out.changed.push_back(ZoneOf(*store::FindZone(by.tx.db(), zone.id)));
  const std::int64_t id =
      StartZone(by, zone.place_id, next, zone.incident_id,
                "stepped down from " + zone.level + ": " + decision.reason.detail, level);
  out.changed.push_back(ZoneOf(*store::FindZone(by.tx.db(), id)));
}

}  // namespace

ZoneEvaluation EvaluateZones(store::Tx& tx, const Env& env, const std::string& actor_name) {
  ChangeBy by{tx, env.clock.Now(), actor_name};
  const core::ZonePolicy policy = LoadZonePolicy(tx.db());
  ZoneEvaluation out;
  for (const store::ZoneRow& zone : store::ListZoneRows(tx.db(), true, "")) {
    ++out.evaluated;
    const auto level = core::ParseZoneLevel(zone.level);
    // Temporary zones follow their incident: no facts to gather for them.
    if (!level || *level == core::ZoneLevel::kTemporary) continue;
    const core::ZoneDecision decision =
        core::EvaluateZone(policy, FactsOf(tx.db(), zone, *level), by.now);
    Apply(by, zone, *level, decision, out);
  }
  return out;
}

core::Result<ZoneEvaluation> EvaluateZonesNow(store::Tx& tx, const Env& env, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  ZoneEvaluation out = EvaluateZones(tx, env, actor.username);
  if (!out.changed.empty())
    store::AppendAudit(
        tx, env.clock.Now(),
        {actor.username, "zones.evaluate", "zone", "",
         std::to_string(out.changed.size()) + " zones changed by the policy's rules"});
  return out;
}

}  // namespace swabline::service
