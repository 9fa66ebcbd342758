#include "store/advisor_rows.hpp"

#include "store/rounds.hpp"
#include "store/settings.hpp"

namespace swabline::store {

namespace {
constexpr NumberMember kAssayMembers[] = {
    {"sensitivity"}, {"specificity"}, {"max_pool_size", true}};
}  // namespace

std::optional<AssaySettingRow> FindAssaySetting(Connection& db) {
  auto doc = FindNumberSetting(db, kAssaySettingKey, kAssayMembers);
  if (!doc) return std::nullopt;
  const auto& v = doc->values;
  return AssaySettingRow{v[0], v[1], static_cast<std::int64_t>(v[2]), doc->updated_at,
                         doc->updated_by};
}

void PutAssaySetting(Tx& tx, const AssaySettingRow& row) {
  const double values[] = {row.sensitivity, row.specificity,
                           static_cast<double>(row.max_pool_size)};
  PutNumberSetting(tx, kAssaySettingKey, kAssayMembers, values, row.updated_at, row.updated_by);
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
