#include "store/status_facts.hpp"

namespace swabline::store {

std::optional<SampleFactRow> LatestSampleOf(Connection& db, std::int64_t resident_id) {
  auto q = db.Query(
      "SELECT s.round_id, s.tube_barcode, s.sampled_at, t.result, t.capacity, t.purpose FROM "
      "samples s JOIN tubes t ON t.barcode = s.tube_barcode WHERE s.resident_id = ? AND "
      "s.voided_at IS NULL ORDER BY s.sampled_at DESC, s.id DESC LIMIT 1");
  q->Bind(1, resident_id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return SampleFactRow{q->Int(0), q->Str(1), q->Int(2), q->OptStr(3),
                       static_cast<int>(q->Int(4)), q->Str(5)};
}

std::optional<std::int64_t> LatestRoundCovering(Connection& db, std::string_view home_id_path,
                                                bool closed_only) {
  // A round covers a home when one of its places is the home or an ancestor of it: the
  // place's id_path is a prefix of the home's.
  auto q = db.Query(
      "SELECT r.id FROM rounds r JOIN round_places rp ON rp.round_id = r.id JOIN places p ON "
      "p.id = rp.place_id WHERE substr(?, 1, length(p.id_path)) = p.id_path AND (? = 0 OR "
      "r.status = 'closed') ORDER BY r.id DESC LIMIT 1");
  q->Bind(1, home_id_path).Bind(2, closed_only ? 1 : 0);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->Int(0);
}

bool HasSampleIn(Connection& db, std::int64_t round_id, std::int64_t resident_id) {
  auto q = db.Query(
      "SELECT 1 FROM samples WHERE round_id = ? AND resident_id = ? AND voided_at IS NULL");
  q->Bind(1, round_id).Bind(2, resident_id);
  return q->Next() == Step::kRow;
}

}  // namespace swabline::store
