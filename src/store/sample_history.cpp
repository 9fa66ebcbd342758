#include "store/sample_history.hpp"

#include "store/columns.hpp"

namespace swabline::store {

std::vector<SampleHistoryRow> SampleHistoryOf(Connection& db, std::int64_t resident_id,
                                              std::int64_t before, int limit) {
  auto q = db.Query(
      "SELECT s.id, s.round_id, r.name, s.tube_barcode, s.sampled_at, t.result, t.capacity, "
      "t.purpose FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode JOIN rounds r ON "
      "r.id = s.round_id WHERE s.resident_id = ?1 AND s.voided_at IS NULL AND (?2 = 0 OR s.id < "
      "?2) ORDER BY s.id DESC LIMIT ?3");
  q->Bind(1, resident_id);
  q->Bind(2, before);
  q->Bind(3, static_cast<std::int64_t>(limit));
  std::vector<SampleHistoryRow> out;
  while (q->Next() == Step::kRow) {
    SampleHistoryRow& row = out.emplace_back();
    row.id = q->Int(0);
    row.round_id = q->Int(1);
    row.round_name = q->Str(2);
    row.tube = q->Str(3);
    row.sampled_at = q->Int(4);
    if (!q->IsNull(5))
      row.result = EnumColumn(core::ParseTubeResult, q->Text(5), "tubes", "result");
    row.capacity = static_cast<int>(q->Int(6));
    row.purpose = EnumColumn(core::ParseTubePurpose, q->Text(7), "tubes", "purpose");
  }
  return out;
}

}  // namespace swabline::store
