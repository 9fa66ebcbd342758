#include "store/results.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <tuple>

#include "store/bulk_insert.hpp"
#include "store/columns.hpp"

namespace swabline::store {
namespace {

/// Rows per bulk statement: many for the bulk of an upload, fewer for the rest, one for the
/// last few, so that only three texts of each statement sit in the connection's cache.
/// 8 binds × 1024 rows stays well below SQLite's limit of 32766.
constexpr std::array<std::size_t, 3> kChunks = {1024, 32, 1};

/// "head" + "?first, ?first+1, …" (`rows` parameters) + "tail".
std::string Numbered(std::string_view head, int first, std::size_t rows, std::string_view tail) {
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += "?" + std::to_string(first + static_cast<int>(i));
  }
  sql += tail;
  return sql;
}

/// One bulk statement's texts, one for each size in kChunks.
class BulkSql {
 public:
  explicit BulkSql(std::string (*text)(std::size_t rows))
      : texts_{text(kChunks[0]), text(kChunks[1]), text(kChunks[2])} {}

  /// Calls `fn(sql, rows, chunk)` over `items`, the biggest chunks first. With `pad`, the
  /// last few items go as one chunk of kChunks[1] rows, which `fn` fills by repeating one
  /// of them (for statements where a repeat changes nothing).
  template <typename T, typename Fn>
  void ForChunks(std::span<T> items, bool pad, Fn fn) const {
    for (std::size_t c = 0; c < kChunks.size(); ++c) {
      if (pad && c + 1 == kChunks.size() && !items.empty())
        return fn(texts_[c - 1], kChunks[c - 1], items);
      while (items.size() >= kChunks[c]) {
        fn(texts_[c], kChunks[c], items.first(kChunks[c]));
        items = items.subspan(kChunks[c]);
      }
    }
  }

 private:
  std::array<std::string, kChunks.size()> texts_;
};

constexpr std::string_view kStateColumns =
    "SELECT rowid, barcode, status, result, site_id, incident_id FROM tubes ";

std::string LookUpStatesSql(std::size_t rows) {
  return Numbered(std::string(kStateColumns) + "WHERE barcode IN (", 1, rows, ")");
}

std::string AppendSql(std::size_t rows) {
  return RepeatedSql(
      "INSERT INTO tube_results(tube_barcode, result, ct_orf1ab, ct_n, correction_reason, "
      "recorded_at, recorded_by, upload_id) VALUES ",
      "(?, ?, ?, ?, ?, ?, ?, ?)", rows, "");
}

std::string StandingSql(std::size_t rows) {
  return Numbered(
      "UPDATE tubes SET result = ?1, status = 'resulted', resulted_at = COALESCE(resulted_at, "
      "?2) WHERE rowid IN (",
      3, rows, ")");
}

/// Passes the state in the current row of `q` (kStateColumns) to `fn` as barcodes[index].
void EmitState(Statement& q, std::size_t index,
               const std::function<void(const TubeResultState&)>& fn) {
  TubeResultState state;
  state.index = index;
  state.row_id = q.Int(0);
  state.status = EnumColumn(core::ParseTubeStatus, q.Text(2), "tubes", "status");
  if (!q.IsNull(3)) state.result = EnumColumn(core::ParseTubeResult, q.Text(3), "tubes", "result");
  state.site_id = q.Int(4);
  state.incident_id = q.OptInt(5);
  fn(state);
}

/// Reads the states of `chunk` (sorted) by walking the barcode index from its first barcode
/// to its last. Returns how many of the chunk's barcodes it settled (found, or known not to
/// exist): all, unless the walk met more than twice as many tubes as it was asked about —
/// the barcodes are then spread too thinly, and it stops.
std::size_t WalkStates(Connection& db, std::span<const std::string_view> chunk, std::size_t offset,
                       const std::function<void(const TubeResultState&)>& fn) {
  static const std::string kSql = std::string(kStateColumns) + "WHERE barcode BETWEEN ?1 AND ?2";
  auto q = db.Query(kSql);
  q->BindView(1, chunk.front()).BindView(2, chunk.back());
  const std::size_t budget = 2 * chunk.size() + 16;
  std::size_t at = 0;  // the barcodes before it are settled
  for (std::size_t steps = 1; q->Next() == Step::kRow; ++steps) {
    const std::string_view barcode = q->Text(1);
    while (at < chunk.size() && chunk[at] < barcode) ++at;  // walked past: no such tube
    if (at < chunk.size() && chunk[at] == barcode) EmitState(*q, offset + at++, fn);
    if (steps == budget) return at;
  }
  return chunk.size();
}

/// Reads the states of `chunk` by looking each barcode up, many to a statement.
void LookUpStates(Connection& db, std::span<const std::string_view> chunk, std::size_t offset,
                  const std::function<void(const TubeResultState&)>& fn) {
  static const BulkSql kSql(LookUpStatesSql);
  kSql.ForChunks(
      chunk, true,
      [&](const std::string& sql, std::size_t binds, std::span<const std::string_view> part) {
        auto q = db.Query(sql);
        for (std::size_t i = 0; i < binds; ++i)
          q->BindView(static_cast<int>(i + 1), part[std::min(i, part.size() - 1)]);
        while (q->Next() == Step::kRow) {
          const auto it = std::lower_bound(part.begin(), part.end(), q->Text(1));
          EmitState(*q, offset + static_cast<std::size_t>(it - part.begin()), fn);
        }
        offset += part.size();
      });
}

std::optional<double> OptReal(Statement& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return q.Real(col);
}

}  // namespace

void ReadTubeResultStates(Connection& db, std::span<const std::string_view> barcodes,
                          const std::function<void(const TubeResultState&)>& fn) {
  // A lab's file names mostly neighbouring tubes (a plate, a box, a site's run of barcodes):
  // walking the index over a chunk's range costs a third of looking each one up.
  for (std::size_t offset = 0; offset < barcodes.size(); offset += kChunks[0]) {
    const auto chunk = barcodes.subspan(offset, std::min(kChunks[0], barcodes.size() - offset));
    const std::size_t settled = WalkStates(db, chunk, offset, fn);
    if (settled < chunk.size()) LookUpStates(db, chunk.subspan(settled), offset + settled, fn);
  }
}

std::int64_t InsertTubeResult(Tx& tx, const TubeResultRecord& r) {
  auto q = tx.Query(
      "INSERT INTO tube_results(tube_barcode, result, ct_orf1ab, ct_n, correction_reason, "
      "recorded_at, recorded_by, upload_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, r.tube).Bind(2, r.result).Bind(3, r.ct_orf1ab).Bind(4, r.ct_n);
  q->Bind(5, r.correction_reason).Bind(6, r.recorded_at).Bind(7, r.recorded_by);
  q->Bind(8, r.upload_id);
  if (!q->Run()) throw StoreError(0, "a tube result was refused by a constraint");
  return tx.db().LastInsertId();
}

std::int64_t InsertResultUpload(Tx& tx, const ResultUploadRecord& u) {
  auto q = tx.Query(
      "INSERT INTO result_uploads(uploaded_at, uploaded_by, row_count, recorded, corrected, "
      "unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, u.uploaded_at).Bind(2, u.uploaded_by);
  q->Bind(3, static_cast<std::int64_t>(u.rows)).Bind(4, static_cast<std::int64_t>(u.recorded));
  q->Bind(5, static_cast<std::int64_t>(u.corrected));
  q->Bind(6, static_cast<std::int64_t>(u.unchanged));
  q->Bind(7, static_cast<std::int64_t>(u.rejected));
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

void AppendTubeResults(Tx& tx, std::span<const TubeResultRecord> records) {
  static const BulkSql kSql(AppendSql);
  kSql.ForChunks(records, false,
                 [&](const std::string& sql, std::size_t, std::span<const TubeResultRecord> chunk) {
                   auto q = tx.Query(sql);
                   int at = 0;  // the bind index before this record's first
                   for (const TubeResultRecord& r : chunk) {
                     q->BindView(at + 1, r.tube).BindView(at + 2, r.result);
                     q->Bind(at + 3, r.ct_orf1ab).Bind(at + 4, r.ct_n);
                     if (r.correction_reason) {
                       q->BindView(at + 5, *r.correction_reason);
                     } else {
                       q->BindNull(at + 5);
                     }
                     q->Bind(at + 6, r.recorded_at).BindView(at + 7, r.recorded_by);
                     q->Bind(at + 8, r.upload_id);
                     at += 8;
                   }
                   if (!q->Run()) throw StoreError(0, "tube results were refused by a constraint");
                 });
}

void SetTubeResult(Tx& tx, std::string_view tube, std::string_view result, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tubes SET result = ?, status = 'resulted', resulted_at = COALESCE(resulted_at, ?) "
      "WHERE barcode = ?");
  q->Bind(1, result).Bind(2, now).Bind(3, tube);
  // The trigger refusing is a caller's bug (no correction row first), not bad input.
  if (!q->Run()) throw StoreError(0, "the tube's result changes only by a recorded correction");
}

void SetStandingResults(Tx& tx, std::vector<StandingResult> results, std::int64_t now) {
  static const BulkSql kSql(StandingSql);
  // Grouped by result, so that a statement binds the result and the time once and one rowid
  // per tube.
  std::sort(results.begin(), results.end(), [](const StandingResult& a, const StandingResult& b) {
    return std::tie(a.result, a.tube_row_id) < std::tie(b.result, b.tube_row_id);
  });
  std::span<const StandingResult> rest(results);
  while (!rest.empty()) {
    const auto group_end = std::find_if(rest.begin(), rest.end(), [&](const StandingResult& r) {
      return r.result != rest.front().result;
    });
    const auto group = rest.first(static_cast<std::size_t>(group_end - rest.begin()));
    kSql.ForChunks(group, false,
                   [&](const std::string& sql, std::size_t, std::span<const StandingResult> chunk) {
                     auto q = tx.Query(sql);
                     q->BindView(1, chunk.front().result).Bind(2, now);
                     for (std::size_t i = 0; i < chunk.size(); ++i)
                       q->Bind(static_cast<int>(i + 3), chunk[i].tube_row_id);
                     // The trigger refusing is a caller's bug (no correction row first), not
                     // bad input.
                     if (!q->Run() || tx.db().Changes() != static_cast<int>(chunk.size()))
                       throw StoreError(0,
                                        "the tubes' results change only by a recorded correction");
                   });
    rest = rest.subspan(group.size());
  }
}

std::vector<TubeResultRow> TubeResultHistory(Connection& db, std::string_view tube) {
  auto q = db.Query(
      "SELECT id, tube_barcode, result, ct_orf1ab, ct_n, correction_reason, recorded_at, "
      "recorded_by, upload_id FROM tube_results WHERE tube_barcode = ? ORDER BY id");
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
    r.upload_id = q->OptInt(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace swabline::store
