#pragma once
/// The timestamps of a round's tubes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct TubeTimes {
  std::string barcode;
  core::TubeStatus status = core::TubeStatus::kOpen;
  std::int64_t first_sample_at = 0;
  std::optional<std::int64_t> sealed_at, dispatched_at, received_at, resulted_at;
};

/// Tubes of the round that hold at least one sample, oldest first.
std::vector<TubeTimes> RoundTubeTimes(Connection& db, std::int64_t round_id);

}  // namespace swabline::store
