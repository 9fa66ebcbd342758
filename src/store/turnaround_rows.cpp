#include "store/turnaround_rows.hpp"

#include "store/columns.hpp"

namespace swabline::store {

std::vector<TubeTimes> RoundTubeTimes(Connection& db, std::int64_t round_id) {
  auto q = db.Query(
      "SELECT barcode, status, first_sample_at, sealed_at, dispatched_at, received_at, "
      "resulted_at FROM tubes WHERE round_id = ? AND first_sample_at IS NOT NULL AND count > 0 "
      "ORDER BY first_sample_at");
  q->Bind(1, round_id);
  std::vector<TubeTimes> out;
  while (q->Next() == Step::kRow)
    out.push_back({q->Str(0), EnumColumn(core::ParseTubeStatus, q->Text(1), "tubes", "status"),
                   q->Int(2), q->OptInt(3), q->OptInt(4), q->OptInt(5), q->OptInt(6)});
  return out;
}

}  // namespace swabline::store
