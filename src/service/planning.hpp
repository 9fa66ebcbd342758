#pragma once
/// Planning a round's sampling: how many sites and collectors finish it in a given number of
/// hours, from the registry's population, at the sampling rates an admin sets (the settings
/// row "sampling_rates"; docs/api.md, Sites and queues).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// Defaults: one collector swabs about 70 people an hour at 10-in-1; a tube costs 60 seconds
/// (open, scan, seal), shared by the people in it, which scales the rate to other pool sizes
/// (core::SwabsPerCollectorHour); one site per 2,500 residents; at most 6 collectors a site.
struct SamplingRates {
  double swabs_per_hour_at_10 = 70;
  double seconds_per_tube = 60;
  std::int64_t residents_per_site = 2500;
  std::int64_t collectors_per_site = 6;
  std::optional<core::Micros> updated_at;  // nullopt: the defaults
  std::string updated_by;
};

/// The stored rates, or the defaults. No permission: the public queue uses them.
SamplingRates ReadSamplingRates(store::Connection& db);
/// kForbidden unless read_coverage.
core::Result<SamplingRates> GetSamplingRates(store::Connection& db, const Actor& actor);
/// Only an admin. kInvalidField (field named): swabs_per_hour_at_10 outside (0, 1000],
/// seconds_per_tube outside [0, 600] or leaving no time to swab, residents_per_site outside
/// 1–1,000,000, collectors_per_site outside 1–500. Audited.
core::Result<SamplingRates> PutSamplingRates(store::Tx& tx, const Env& env, const Actor& actor,
                                             const SamplingRates& in);

struct PlanRow {
  std::int64_t place_id = 0;
  std::string name;
  std::int64_t residents = 0;  // in the registry under the place
  std::int64_t sampled = 0;    // valid samples of theirs in the round
  std::int64_t remaining = 0;  // residents − sampled, not below 0
  std::int64_t collectors_needed = 0;
  std::int64_t sites_needed = 0;
  std::int64_t sites = 0;       // sites under the place now
  std::int64_t collectors = 0;  // collectors on shift at them now
};

struct RoundPlan {
  std::int64_t round_id = 0;
  double hours = 0;
  int pool_size = 10;
  double swabs_per_collector_hour = 0;  // at the round's pool size
  SamplingRates rates;
  std::vector<PlanRow> places;  // the round's places (under `place_id`, or the actor's)
  PlanRow total;
};

/// For each of the round's places: collectors needed = ⌈remaining ÷ (rate × hours)⌉; sites
/// needed = the larger of ⌈residents ÷ residents_per_site⌉ and ⌈collectors needed ÷
/// collectors_per_site⌉ (0 when nobody remains). The places are those of the round under
/// `place_id` when given, else under the actor's scope, else all of them. kForbidden
/// (read_coverage; a place outside the actor's), kUnknownRound, kUnknownPlace, kInvalidField
/// (hours outside (0, 240]).
core::Result<RoundPlan> PlanRound(store::Connection& db, const Actor& actor, std::int64_t round_id,
                                  double hours, std::optional<std::int64_t> place_id);

}  // namespace swabline::service
