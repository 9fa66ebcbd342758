#include "store/results.hpp"

#include <array>
#include <charconv>
#include <string>

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

/// "head" + `rows` copies of "row" joined by commas + "tail".
std::string Repeated(std::string_view head, std::string_view row, std::size_t rows,
                     std::string_view tail) {
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += row;
  }
  sql += tail;
  return sql;
}

/// The two statements that write `rows` records at once.
struct BatchStatements {
  std::size_t rows;
  std::string insert;
  std::string update;
};

BatchStatements BatchOf(std::size_t rows) {
  return {rows,
          Repeated("INSERT INTO tube_results(tube_barcode, result, ct_orf1ab, ct_n, "
                   "correction_reason, recorded_at, recorded_by) VALUES ",
                   "(?, ?, CAST(? AS REAL), CAST(? AS REAL), ?, ?, ?)", rows, ""),
          Repeated("UPDATE tubes SET result = v.column2, status = 'resulted', resulted_at = "
                   "COALESCE(tubes.resulted_at, v.column3) FROM (VALUES ",
                   "(?, ?, ?)", rows, ") AS v WHERE tubes.barcode = v.column1")};
}

void WriteBatch(Tx& tx, const BatchStatements& sql, std::span<const TubeResultRecord> batch) {
  {
    auto q = tx.Query(sql.insert);
    int at = 0;  // the bind index before this record's first
    for (const TubeResultRecord& r : batch) {
      q->Bind(at + 1, r.tube).Bind(at + 2, r.result);
      BindCt(*q, at + 3, r.ct_orf1ab);
      BindCt(*q, at + 4, r.ct_n);
      q->Bind(at + 5, r.correction_reason).Bind(at + 6, r.recorded_at).Bind(at + 7, r.recorded_by);
      at += 7;
    }
    if (!q->Run()) throw StoreError(0, "tube results were refused by a constraint");
  }
  auto q = tx.Query(sql.update);
  int at = 0;
  for (const TubeResultRecord& r : batch) {
    q->Bind(at + 1, r.tube).Bind(at + 2, r.result).Bind(at + 3, r.recorded_at);
    at += 3;
  }
  // The trigger refusing is a caller's bug (no correction row first), not bad input.
  if (!q->Run() || tx.db().Changes() != static_cast<int>(batch.size()))
    throw StoreError(0, "the tubes' results change only by a recorded correction");
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

void RecordTubeResults(Tx& tx, std::span<const TubeResultRecord> records) {
  // Big batches for the bulk of an upload, small ones for the rest: few statements, and few
  // distinct statement texts in the connection's cache. 7 binds × 1024 rows stays well below
  // SQLite's limit of 32766.
  static const std::array<BatchStatements, 2> kBatches = {BatchOf(1024), BatchOf(32)};
  for (const BatchStatements& sql : kBatches) {
    while (records.size() >= sql.rows) {
      WriteBatch(tx, sql, records.first(sql.rows));
      records = records.subspan(sql.rows);
    }
  }
  for (const TubeResultRecord& r : records) {
    InsertTubeResult(tx, r);
    SetTubeResult(tx, r.tube, r.result, r.recorded_at);
  }
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
