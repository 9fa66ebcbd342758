#include "store/coverage_scan.hpp"

#include "store/rounds.hpp"

namespace swabline::store {

void ScanCoverage(Connection& db, std::int64_t round_id, const std::string& id_path,
                  const std::function<void(const CoverageRow&)>& fn) {
  // One row per resident: the subquery folds their valid samples in the round (a repeat
  // sample makes two) into 0 none, 1 sampled, 2 resulted, 3 positive.
  auto q = db.Query(
      "SELECT r.id, p.id_path, (SELECT MAX(CASE WHEN t.result = 'positive' THEN 3 WHEN t.result "
      "IS NOT NULL THEN 2 ELSE 1 END) FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode "
      "WHERE s.resident_id = r.id AND s.round_id = ? AND s.voided_at IS NULL) FROM places p JOIN "
      "residents r ON r.place_id = p.id WHERE p.id_path >= ? AND p.id_path < ?");
  q->Bind(1, round_id).Bind(2, id_path).Bind(3, SubtreeEnd(id_path));
  CoverageRow row;
  while (q->Next() == Step::kRow) {
    row.resident_id = q->Int(0);
    row.home_id_path = q->Text(1);
    const std::int64_t level = q->IsNull(2) ? 0 : q->Int(2);
    row.sampled = level >= 1;
    row.resulted = level >= 2;
    row.positive = level >= 3;
    fn(row);
  }
}

}  // namespace swabline::store
