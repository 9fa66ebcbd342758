#pragma once
/// A person's own samples, newest first, for the resident's page (GET /status/history).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct SampleHistoryRow {
  std::int64_t id = 0;  // the sample's: the page's cursor
  std::int64_t round_id = 0;
  std::string round_name;
  std::string tube;
  std::int64_t sampled_at = 0;
  std::optional<core::TubeResult> result;
  int capacity = 1;
  core::TubePurpose purpose = core::TubePurpose::kScreening;
};

/// The resident's valid (not voided) samples with an id below `before` (0: from the newest),
/// newest first, at most `limit` rows: the few rows samples_resident holds for them, sorted.
std::vector<SampleHistoryRow> SampleHistoryOf(Connection& db, std::int64_t resident_id,
                                              std::int64_t before, int limit);

}  // namespace swabline::store
