#pragma once
/// Coverage of a round (docs/architecture.md, the core loop, step 7): for a place, how many are
/// expected, sampled, resulted and positive, with the same for each child; and who is still
/// missing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/place.hpp"
#include "core/resident.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// The place a round's figures are for and the subtrees to walk for it: the place itself
/// when the round covers it whole, else the round's places under it (none nested in another).
struct RoundScope {
  core::Place place;
  std::vector<std::string> roots;
};

/// The place is `place_id`, else the actor's scope, else the round's one place (kMissingField
/// when it has several). kForbidden (read_coverage, or a place outside the actor's scope),
/// kUnknownRound, kUnknownPlace.
core::Result<RoundScope> ResolveRoundScope(store::Connection& db, const Actor& actor,
                                           std::int64_t round_id,
                                           std::optional<std::int64_t> place_id);

struct CoverageCounts {
  std::int64_t place_id = 0;
  std::string name;
  std::int64_t expected = 0;
  std::int64_t sampled = 0;
  std::int64_t resulted = 0;
  std::int64_t positive = 0;
};

struct Coverage {
  CoverageCounts total;
  std::vector<CoverageCounts> children;
};

/// Expected are the residents living now under both the place and one of the round's places
/// (a resident who moved in counts; a walk-in counts where registered).
/// kUnknownRound, kUnknownPlace, kForbidden.
core::Result<Coverage> GetCoverage(store::Connection& db, const Actor& actor, std::int64_t round_id,
                                   std::optional<std::int64_t> place_id);

struct MissingPage {
  std::vector<core::Resident> people;
  std::int64_t total = 0;
  std::optional<std::int64_t> next_cursor;  // an offset into the ordered list
};

/// Expected but not yet sampled, for door-to-door teams: bedridden first, then elderly, then
/// everyone else, each group by address (building/unit/room) then name.
/// `limit` 0 = all (exports).
core::Result<MissingPage> ListMissing(store::Connection& db, const Actor& actor,
                                      std::int64_t round_id, std::optional<std::int64_t> place_id,
                                      std::int64_t cursor, int limit);

}  // namespace swabline::service
