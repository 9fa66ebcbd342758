#pragma once
/// One pass over the residents of a subtree with their sample in a round: the raw material
/// of coverage figures and missing lists.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace swabline::store {

struct CoverageRow {
  std::int64_t resident_id = 0;
  std::string_view home_id_path;  // valid only during the callback
  bool sampled = false;
  bool resulted = false;
  bool positive = false;
};

/// Calls `fn` once per resident living under `id_path`, with their valid samples in the
/// round folded together.
void ScanCoverage(Connection& db, std::int64_t round_id, const std::string& id_path,
                  const std::function<void(const CoverageRow&)>& fn);

}  // namespace swabline::store
