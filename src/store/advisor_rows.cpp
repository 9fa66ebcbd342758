#include "store/advisor_rows.hpp"

#include "store/rounds.hpp"

namespace swabline::store {

std::optional<AssaySettingRow> FindAssaySetting(Connection& db) {
  auto q = db.Query(
      "SELECT json_extract(value, '$.sensitivity'), json_extract(value, '$.specificity'), "
      "json_extract(value, '$.max_pool_size'), updated_at, updated_by FROM settings WHERE key = "
      "? AND json_valid(value) AND json_type(value, '$.sensitivity') IN ('real', 'integer') AND "
      "json_type(value, '$.specificity') IN ('real', 'integer') AND json_type(value, "
      "'$.max_pool_size') = 'integer'");
  q->Bind(1, kAssaySettingKey);
  if (q->Next() != Step::kRow) return std::nullopt;
  AssaySettingRow row;
  row.sensitivity = q->Real(0);
  row.specificity = q->Real(1);
  row.max_pool_size = q->Int(2);
  row.updated_at = q->Int(3);
  row.updated_by = q->OptStr(4);
  return row;
}

void PutAssaySetting(Tx& tx, const AssaySettingRow& row) {
  auto q = tx.Query(
      "INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?1, json_object("
      "'sensitivity', ?2, 'specificity', ?3, 'max_pool_size', ?4), ?5, ?6) ON CONFLICT(key) DO "
      "UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = "
      "excluded.updated_by");
  q->Bind(1, kAssaySettingKey)
      .Bind(2, row.sensitivity)
      .Bind(3, row.specificity)
      .Bind(4, row.max_pool_size)
      .Bind(5, row.updated_at)
      .Bind(6, row.updated_by);
  q->RunOrThrow();
}

void ScanResultedPools(Connection& db, std::int64_t round_id, const std::string& id_path,
                       const std::function<void(const PoolTubeRow&)>& fn) {
  // The subtree's places by id_path, their residents, their samples in the round, the tubes.
  auto q = db.Query(
      "SELECT DISTINCT t.barcode, t.count, t.result = 'positive' FROM places p JOIN residents r "
      "ON r.place_id = p.id JOIN samples s ON s.resident_id = r.id JOIN tubes t ON t.barcode = "
      "s.tube_barcode WHERE p.id_path >= ?2 AND p.id_path < ?3 AND s.round_id = ?1 AND "
      "s.voided_at IS NULL AND s.screening = 1 AND t.purpose = 'screening' AND t.count > 0 AND "
      "(t.result = 'negative' OR t.result = 'positive')");
  q->Bind(1, round_id).Bind(2, id_path).Bind(3, SubtreeEnd(id_path));
  PoolTubeRow row;
  while (q->Next() == Step::kRow) {
    row.barcode = q->Text(0);
    row.size = q->Int(1);
    row.positive = q->Int(2) != 0;
    fn(row);
  }
}

}  // namespace swabline::store
