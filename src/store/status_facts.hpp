#pragma once
/// What a person's status is derived from: their latest sample, the rounds and the active zones
/// over their home, read in one statement (a status look-up is the most frequent read; every
/// statement costs).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct SampleFactRow {
  std::int64_t round_id = 0;
  std::string tube;
  std::int64_t sampled_at = 0;
  std::optional<core::TubeResult> result;
  int capacity = 1;
  core::TubePurpose purpose = core::TubePurpose::kScreening;
};

struct StatusFactsRow {
  /// The person's most recent valid sample.
  std::optional<SampleFactRow> latest_sample;
  /// The newest round covering the home: one of its places is the home or an ancestor of it.
  std::optional<std::int64_t> latest_round;
  /// The newest closed round covering the home.
  std::optional<std::int64_t> latest_closed_round;
  /// Whether the person has a valid sample in `latest_closed_round`.
  bool sampled_in_latest_closed = false;
  /// The levels of the zones in force on the home or an ancestor of it.
  std::vector<std::string> zone_levels;
};

/// REQUIRES: `home_id_path` is the id_path of the resident's home ("/1/5/23/"), at most six
/// levels deep (core::SplitPlacePath's limit).
StatusFactsRow StatusFactsOf(Connection& db, std::int64_t resident_id,
                             std::string_view home_id_path);

}  // namespace swabline::store
