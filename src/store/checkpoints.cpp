#include "store/checkpoints.hpp"

#include "store/rounds.hpp"
#include "store/settings.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kCheckpointColumns =
    "SELECT c.id, c.name, c.place_id, p.id_path, p.path FROM checkpoints c JOIN places p ON "
    "p.id = c.place_id ";

CheckpointRow ReadCheckpoint(Statement& q) {
  return {q.Int(0), q.Str(1), q.Int(2), q.Str(3), q.Str(4)};
}

}  // namespace

std::int64_t InsertCheckpoint(Tx& tx, const std::string& name, std::int64_t place_id,
                              std::int64_t now, const std::string& by) {
  auto q = tx.Query(
      "INSERT INTO checkpoints(name, place_id, created_at, created_by) VALUES (?, ?, ?, ?)");
  q->Bind(1, name).Bind(2, place_id).Bind(3, now).Bind(4, by);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<CheckpointRow> FindCheckpoint(Connection& db, std::int64_t id) {
  auto q = db.Query(std::string(kCheckpointColumns) + "WHERE c.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadCheckpoint(*q);
}

std::vector<CheckpointRow> ListCheckpointsUnder(Connection& db, const std::string& id_path,
                                                std::int64_t after_id, int limit) {
  auto q = db.Query(std::string(kCheckpointColumns) +
                    "WHERE p.id_path >= ? AND p.id_path < ? AND c.id > ? ORDER BY c.id LIMIT ?");
  q->Bind(1, id_path).Bind(2, SubtreeEnd(id_path)).Bind(3, after_id).Bind(4, limit);
  std::vector<CheckpointRow> out;
  while (q->Next() == Step::kRow) out.push_back(ReadCheckpoint(*q));
  return out;
}

std::int64_t InsertGateScan(Tx& tx, const GateScanRow& r) {
  auto q = tx.Query(
      "INSERT INTO gate_scans(checkpoint_id, resident_id, direction, allowed, color, at, "
      "scanned_by) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, r.checkpoint_id).Bind(2, r.resident_id).Bind(3, r.direction);
  q->Bind(4, r.allowed ? 1 : 0).Bind(5, r.color).Bind(6, r.at).Bind(7, r.scanned_by);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::vector<GateScanRow> ListGateScans(Connection& db, std::int64_t checkpoint_id,
                                       std::int64_t since, std::int64_t before_id, int limit) {
  auto q = db.Query(
      "SELECT g.id, g.checkpoint_id, g.resident_id, g.direction, g.allowed, g.color, g.at, "
      "g.scanned_by, r.name, r.doc_masked FROM gate_scans g JOIN residents r ON r.id = "
      "g.resident_id WHERE g.checkpoint_id = ? AND g.at >= ? AND (? = 0 OR g.id < ?) ORDER BY "
      "g.id DESC LIMIT ?");
  q->Bind(1, checkpoint_id).Bind(2, since).Bind(3, before_id).Bind(4, before_id).Bind(5, limit);
  std::vector<GateScanRow> out;
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), q->Int(1), q->Int(2), q->Str(3), q->Int(4) != 0, q->Str(5), q->Int(6),
                   q->Str(7), q->Str(8), q->Str(9)});
  return out;
}

std::int64_t DeleteGateScansBefore(Tx& tx, std::int64_t before) {
  auto q = tx.Query("DELETE FROM gate_scans WHERE at < ?");
  q->Bind(1, before);
  q->RunOrThrow();
  return tx.db().Changes();
}

namespace {
constexpr NumberMember kRetentionMembers[] = {{"retention_days", true}};
}  // namespace

std::optional<GateRetentionRow> FindGateRetention(Connection& db) {
  auto doc = FindNumberSetting(db, kCheckpointSettingKey, kRetentionMembers);
  if (!doc) return std::nullopt;
  return GateRetentionRow{static_cast<std::int64_t>(doc->values[0]), doc->updated_at,
                          doc->updated_by.value_or("")};
}

void PutGateRetention(Tx& tx, std::int64_t retention_days, std::int64_t now,
                      const std::string& by) {
  const double values[] = {static_cast<double>(retention_days)};
  PutNumberSetting(tx, kCheckpointSettingKey, kRetentionMembers, values, now, by);
}

}  // namespace swabline::store
