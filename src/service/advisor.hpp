#pragma once
/// The pooling advisor (docs/outbreak.md): per round and place, the prevalence behind the
/// resulted screening pools and, for the next round, the pool size among 1, 5, 10 and 20
/// with the fewest expected tests per person, with the tubes, retests and kits it needs.
/// The arithmetic is core/pooling.hpp; this file gathers its inputs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_time.hpp"
#include "core/pooling.hpp"
#include "core/result.hpp"
#include "core/zone_policy.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// The assay the advisor assumes (the settings row "assay"). Defaults: core::Assay's
/// sensitivity 0.95 and specificity 0.999, and pools of at most 20 (the largest size a round
/// may use; a laboratory whose assay loses too much sensitivity when diluted lowers it).
struct AssaySettings {
  double sensitivity = core::Assay{}.sensitivity;
  double specificity = core::Assay{}.specificity;
  int max_pool_size = 20;
  std::optional<core::Micros> updated_at;  // nullopt: the default, never stored
  std::string updated_by;
};

/// The stored assay, or the default. kForbidden without read_coverage.
core::Result<AssaySettings> GetAssaySettings(store::Connection& db, const Actor& actor);

/// Stores the assay (admin only: kForbidden), audited as settings.assay. kInvalidField naming
/// the field for a sensitivity or specificity outside (0, 1], the two summing to 1 or less, or
/// a max_pool_size outside 1..20.
core::Result<AssaySettings> PutAssaySettings(store::Tx& tx, const Env& env, const Actor& actor,
                                             double sensitivity, double specificity,
                                             int max_pool_size);

/// The resulted screening pools of one size (the tube's valid samples).
struct PoolTally {
  int size = 0;
  std::int64_t tubes = 0;
  std::int64_t positive = 0;
};

/// People under active zones whose level sets a pool size, counted at that size.
struct ZonedPeople {
  int pool_size = 0;
  std::int64_t people = 0;
  std::int64_t tubes = 0;
  double retests = 0;
};

/// The next round if everyone not under a sizing zone were pooled at `pool_size`; the tubes,
/// retests and kits include the zoned people at their sizes. tests_per_person is E(k).
struct NextRoundOption {
  int pool_size = 1;
  double tests_per_person = 1;
  std::int64_t tubes = 0;
  double retests = 0;
  double kits = 0;
};

struct NextRound {
  std::int64_t people = 0;      // expected in this round at the place: the next round's people
  int pool_size = 1;            // the advised size for those not under a sizing zone
  double tests_per_person = 1;  // (tubes + retests) / people, zoned people included
  std::int64_t tubes = 0;
  double retests = 0;
  double kits = 0;  // one swab per person and per retest
  std::vector<ZonedPeople> zoned;
  std::vector<NextRoundOption> options;  // 1, 5, 10, 20 within max_pool_size
};

struct PoolingAdvisorView {
  std::int64_t round_id = 0;
  std::int64_t place_id = 0;
  std::string place_name;
  AssaySettings assay;
  std::vector<PoolTally> pools;  // by size, ascending
  std::optional<core::PrevalenceEstimate> prevalence;
  std::optional<NextRound> next_round;
  /// Why prevalence is null: "no_resulted_pools" (nothing resulted yet at the place).
  std::string reason;
};

/// The advisor for the round at the place (else the actor's scope, else the round's one
/// place), from the round's screening tubes with a result that hold a sample of someone living
/// under the place and the round's places. kForbidden (read_coverage, scope),
/// kUnknownRound, kUnknownPlace, kMissingField (place_id, for a round of several places and
/// an actor without a scope).
core::Result<PoolingAdvisorView> GetPoolingAdvisor(store::Connection& db, const Actor& actor,
                                                   std::int64_t round_id,
                                                   std::optional<std::int64_t> place_id);

}  // namespace swabline::service
