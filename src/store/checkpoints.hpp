#pragma once
/// Rows of checkpoints (compound gates) and of the log of their scans.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct CheckpointRow {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::string place_id_path;  // of its place, for scope checks and the zones over it
  std::string place_path;
};

std::int64_t InsertCheckpoint(Tx& tx, const std::string& name, std::int64_t place_id,
                              std::int64_t now, const std::string& by);
std::optional<CheckpointRow> FindCheckpoint(Connection& db, std::int64_t id);
/// Checkpoints at or under the place with `id_path`, by id, after `after_id`, at most `limit`.
std::vector<CheckpointRow> ListCheckpointsUnder(Connection& db, const std::string& id_path,
                                                std::int64_t after_id, int limit);

struct GateScanRow {
  std::int64_t id = 0;
  std::int64_t checkpoint_id = 0;
  std::int64_t resident_id = 0;
  std::string direction;  // in, out
  bool allowed = false;
  std::string color;
  std::int64_t at = 0;
  std::string scanned_by;
  // Filled by ListGateScans, from the resident:
  std::string name;
  std::string doc_masked;
};

/// One insert, nothing else: a gate scan is the city's busiest request.
std::int64_t InsertGateScan(Tx& tx, const GateScanRow& row);
/// The checkpoint's scans at or after `since`, newest first, ids below `before_id` (0: from the
/// newest), at most `limit`.
std::vector<GateScanRow> ListGateScans(Connection& db, std::int64_t checkpoint_id,
                                       std::int64_t since, std::int64_t before_id, int limit);
/// Deletes every scan before `before`; returns how many.
std::int64_t DeleteGateScansBefore(Tx& tx, std::int64_t before);

/// The settings row "checkpoints": {"retention_days": N}.
inline constexpr std::string_view kCheckpointSettingKey = "checkpoints";
struct GateRetentionRow {
  std::int64_t retention_days = 0;
  std::int64_t updated_at = 0;
  std::string updated_by;
};
std::optional<GateRetentionRow> FindGateRetention(Connection& db);
void PutGateRetention(Tx& tx, std::int64_t retention_days, std::int64_t now, const std::string& by);

}  // namespace swabline::store
