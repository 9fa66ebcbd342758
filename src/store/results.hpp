#pragma once
/// Rows of tube results: the append-only history (tube_results) and the standing result on
/// the tube. The schema's triggers keep the history honest: a standing result changes only
/// when a correction with its reason was appended first (migrations.cpp).
///
/// A results upload carries up to 100,000 rows, so the bulk functions here work on a whole
/// upload at once, many rows to a statement: one statement per row would pay a statement's
/// fixed cost per row, and a statement-journal truncation each for those that need one
/// (linear in the work already done inside the writer's savepoint: quadratic overall).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

/// What recording a result needs to know of a tube. Valid only during the callback.
struct TubeResultState {
  std::size_t index = 0;    // into the barcodes asked for
  std::int64_t row_id = 0;  // the tube's rowid: its row is written back without a search
  std::int64_t site_id = 0;
  core::TubeStatus status = core::TubeStatus::kOpen;
  std::optional<core::TubeResult> result;
  std::optional<std::int64_t> incident_id;  // a retest tube's incident
};

/// Calls `fn` once for each of `barcodes` that names a tube, in no particular order.
/// REQUIRES: `barcodes` sorted and without repeats.
void ReadTubeResultStates(Connection& db, std::span<const std::string_view> barcodes,
                          const std::function<void(const TubeResultState&)>& fn);

struct TubeResultRecord {
  std::string_view tube;
  std::string_view result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::optional<std::string_view> correction_reason;
  std::int64_t recorded_at = 0;
  std::string_view recorded_by;
  std::optional<std::int64_t> upload_id;  // the result_uploads row it came in
};

/// One results upload, as its row in result_uploads records it.
struct ResultUploadRecord {
  std::int64_t uploaded_at = 0;
  std::string_view uploaded_by;
  std::size_t rows = 0;
  std::size_t recorded = 0;
  std::size_t corrected = 0;
  std::size_t unchanged = 0;
  std::size_t rejected = 0;
};

/// Records an upload; returns its id, which each of its results then carries.
std::int64_t InsertResultUpload(Tx& tx, const ResultUploadRecord& upload);

/// Appends to the tube's history; returns the new row's id.
std::int64_t InsertTubeResult(Tx& tx, const TubeResultRecord& record);

/// Appends the records to their tubes' histories in the given order (a tube may come more
/// than once). The texts are bound without copies. REQUIRES: every tube exists.
void AppendTubeResults(Tx& tx, std::span<const TubeResultRecord> records);

/// Sets the tube's standing result and moves it to `resulted` (the first result's time is
/// kept). REQUIRES: the tube's newest history row holds `result` — with a correction_reason
/// when it replaces a different result, or the trigger aborts the statement.
void SetTubeResult(Tx& tx, std::string_view tube, std::string_view result, std::int64_t now);

struct StandingResult {
  std::int64_t tube_row_id = 0;  // as ReadTubeResultStates gave it
  std::string_view result;
};

/// SetTubeResult for many tubes, by their rowids: a statement per result and chunk, each in
/// rowid order (neighbours share b-tree pages). REQUIRES: each tube at most once; each as
/// SetTubeResult requires, or the trigger aborts the statement (a StoreError: the caller's
/// bug, not bad input).
void SetStandingResults(Tx& tx, std::vector<StandingResult> results, std::int64_t now);

struct TubeResultRow {
  std::int64_t id = 0;
  std::string tube_barcode;
  std::string result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::optional<std::string> correction_reason;
  std::int64_t recorded_at = 0;
  std::string recorded_by;
  std::optional<std::int64_t> upload_id;  // null for results recorded before uploads were kept
};

/// Every result recorded for the tube, oldest first.
std::vector<TubeResultRow> TubeResultHistory(Connection& db, std::string_view tube);

}  // namespace swabline::store
