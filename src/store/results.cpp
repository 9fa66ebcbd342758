#include "store/results.hpp"

#include <array>
#include <charconv>

namespace swabline::store {
namespace {

// Statement binds no doubles; a Ct goes in as its shortest exact decimal text and SQL turns
// it back into the same REAL.
void BindCt(Statement& q, int index, std::optional<double> ct) {
  if (!ct) {
    q.BindNull(index);
    return;
  }
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *ct);
  if (ec != std::errc()) throw StoreError(0, "a Ct value could not be written");
  q.Bind(index, std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data())));
}

std::optional<double> OptReal(Statement& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return q.Real(col);
}

}  // namespace

bool LoadTubeResultState(Connection& db, std::string_view barcode, TubeResultState& out) {
  auto q = db.Query(
      "SELECT t.status, t.result, p.id_path FROM tubes t JOIN sites s ON s.id = t.site_id JOIN "
      "places p ON p.id = s.place_id WHERE t.barcode = ?");
  q->Bind(1, barcode);
  if (q->Next() != Step::kRow) return false;
  out.status.assign(q->Text(0));
  out.has_result = !q->IsNull(1);
  out.result.assign(q->Text(1));
  out.site_id_path.assign(q->Text(2));
  return true;
}

std::int64_t InsertTubeResult(Tx& tx, const TubeResultRecord& r) {
  auto q = tx.Query(
      "INSERT INTO tube_results(tube_barcode, result, ct_orf1ab, ct_n, correction_reason, "
      "recorded_at, recorded_by) VALUES (?, ?, CAST(? AS REAL), CAST(? AS REAL), ?, ?, ?)");
  q->Bind(1, r.tube).Bind(2, r.result);
  BindCt(*q, 3, r.ct_orf1ab);
  BindCt(*q, 4, r.ct_n);
  q->Bind(5, r.correction_reason).Bind(6, r.recorded_at).Bind(7, r.recorded_by);
  if (!q->Run()) throw StoreError(0, "a tube result was refused by a constraint");
  return tx.db().LastInsertId();
}

void SetTubeResult(Tx& tx, std::string_view tube, std::string_view result, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tubes SET result = ?, status = 'resulted', resulted_at = COALESCE(resulted_at, ?) "
      "WHERE barcode = ?");
  q->Bind(1, result).Bind(2, now).Bind(3, tube);
  // The trigger refusing is a caller's bug (no correction row first), not bad input.
  if (!q->Run()) throw StoreError(0, "the tube's result changes only by a recorded correction");
}

std::vector<TubeResultRow> TubeResultHistory(Connection& db, std::string_view tube) {
  auto q = db.Query(
      "SELECT id, tube_barcode, result, ct_orf1ab, ct_n, correction_reason, recorded_at, "
      "recorded_by FROM tube_results WHERE tube_barcode = ? ORDER BY id");
  q->Bind(1, tube);
  std::vector<TubeResultRow> out;
  while (q->Next() == Step::kRow) {
    TubeResultRow r;
    r.id = q->Int(0);
    r.tube_barcode = q->Str(1);
    r.result = q->Str(2);
    r.ct_orf1ab = OptReal(*q, 3);
    r.ct_n = OptReal(*q, 4);
    r.correction_reason = q->OptStr(5);
    r.recorded_at = q->Int(6);
    r.recorded_by = q->Str(7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace swabline::store
