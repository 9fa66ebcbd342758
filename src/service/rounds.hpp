#pragma once
/// Rounds (testing campaigns over places) and sampling sites.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/rounds.hpp"

namespace swabline::service {

struct NewRound {
  std::string name;
  std::vector<std::int64_t> place_ids;
  int pool_size = 10;
  std::optional<core::Micros> starts_at;
  std::optional<core::Micros> ends_at;
};

/// kMissingField (name, places), kInvalidPoolSize, kUnknownPlace, kForbidden.
core::Result<store::RoundRow> CreateRound(store::Tx& tx, const Env& env, const Actor& actor,
                                          const NewRound& in);
/// Closing a closed round is a no-op. kUnknownRound, kForbidden.
core::Result<store::RoundRow> CloseRound(store::Tx& tx, const Env& env, const Actor& actor,
                                         std::int64_t id);
core::Result<store::RoundRow> GetRound(store::Connection& db, const Actor& actor, std::int64_t id);
core::Result<std::vector<store::RoundRow>> ListRounds(store::Connection& db, const Actor& actor,
                                                      std::optional<std::string> status,
                                                      std::int64_t before_id, int limit);

/// kMissingField, kUnknownPlace, kForbidden.
core::Result<store::SiteRow> CreateSite(store::Tx& tx, const Env& env, const Actor& actor,
                                        const std::string& name, std::int64_t place_id);
core::Result<std::vector<store::SiteRow>> ListSites(store::Connection& db, const Actor& actor,
                                                    std::optional<std::int64_t> place_id);

}  // namespace swabline::service
