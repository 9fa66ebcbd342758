#pragma once
/// What the pooling advisor reads: the assay setting (the settings row "assay", a JSON
/// document read and written with SQLite's JSON functions, so no layer below http parses
/// JSON) and a round's resulted screening pools under a place.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/connection.hpp"

namespace swabline::store {

inline constexpr const char* kAssaySettingKey = "assay";

struct AssaySettingRow {
  double sensitivity = 0;
  double specificity = 0;
  std::int64_t max_pool_size = 0;
  std::int64_t updated_at = 0;
  std::optional<std::string> updated_by;
};

/// The stored assay, or nullopt when none was stored or a member is missing or not a number
/// (the caller then uses the built-in default).
std::optional<AssaySettingRow> FindAssaySetting(Connection& db);

/// Stores the assay as {"sensitivity","specificity","max_pool_size"}, replacing any before.
void PutAssaySetting(Tx& tx, const AssaySettingRow& row);

struct PoolTubeRow {
  std::string_view barcode;  // valid only during the callback
  std::int64_t size = 0;     // valid samples in the tube: the pool's size
  bool positive = false;
};

/// Calls `fn` once per screening tube of the round with a negative or positive result
/// (invalid ones say nothing of prevalence) holding a valid sample of someone living under
/// `id_path`, in no particular order. Walks the subtree's residents, not the round's tubes.
void ScanResultedPools(Connection& db, std::int64_t round_id, const std::string& id_path,
                       const std::function<void(const PoolTubeRow&)>& fn);

}  // namespace swabline::store
