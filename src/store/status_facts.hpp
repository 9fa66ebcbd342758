#pragma once
/// What a person's status is derived from: their latest sample and the rounds over their home.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace swabline::store {

struct SampleFactRow {
  std::int64_t round_id = 0;
  std::string tube;
  std::int64_t sampled_at = 0;
  std::optional<std::string> result;
  int capacity = 1;
  std::string purpose;
};

/// The person's most recent valid sample.
std::optional<SampleFactRow> LatestSampleOf(Connection& db, std::int64_t resident_id);
/// The newest round (optionally only closed ones) covering a home with this id_path.
std::optional<std::int64_t> LatestRoundCovering(Connection& db, std::string_view home_id_path,
                                                bool closed_only);
bool HasSampleIn(Connection& db, std::int64_t round_id, std::int64_t resident_id);

}  // namespace swabline::store
