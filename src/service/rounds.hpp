#pragma once
/// Rounds (testing campaigns over places); their sites are in service/sites.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/round.hpp"
#include "service/env.hpp"
#include "service/sites.hpp"  // sites were declared here first
#include "store/connection.hpp"

namespace swabline::service {

struct Round {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::int64_t> place_ids;
  int pool_size = 10;
  core::RoundStatus status = core::RoundStatus::kActive;
  std::optional<core::Micros> starts_at;
  std::optional<core::Micros> ends_at;
  core::Micros created_at = 0;
  std::optional<core::Micros> closed_at;
};

struct RoundPage {
  std::vector<Round> rounds;                // newest first
  std::optional<std::int64_t> next_cursor;  // pass as `before_id` for the next page
};

struct NewRound {
  std::string name;
  std::vector<std::int64_t> place_ids;
  int pool_size = 10;
  std::optional<core::Micros> starts_at;
  std::optional<core::Micros> ends_at;
};

/// kMissingField (name, places), kInvalidPoolSize, kUnknownPlace, kForbidden.
core::Result<Round> CreateRound(store::Tx& tx, const Env& env, const Actor& actor,
                                const NewRound& in);
/// Closing a closed round is a no-op. kUnknownRound, kForbidden.
core::Result<Round> CloseRound(store::Tx& tx, const Env& env, const Actor& actor, std::int64_t id);
core::Result<Round> GetRound(store::Connection& db, const Actor& actor, std::int64_t id);
/// Rounds that concern the actor (one of their places overlaps the actor's subtree), newest
/// first, with ids below `before_id` (0: from the newest), at most `limit`; only those with
/// `status` when given. The scope is applied before the limit, so a page is full whenever
/// more rounds concern the actor.
core::Result<RoundPage> ListRounds(store::Connection& db, const Actor& actor,
                                   std::optional<core::RoundStatus> status, std::int64_t before_id,
                                   int limit);

}  // namespace swabline::service
