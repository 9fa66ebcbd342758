#pragma once
/// Rows of tube results: the append-only history (tube_results) and the standing result on
/// the tube. The schema's triggers keep the history honest: a standing result changes only
/// when a correction with its reason was appended first (migrations.cpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"

namespace swabline::store {

/// What recording a result needs to know of a tube. Reused from row to row of an upload so
/// that a long upload does not allocate per row.
struct TubeResultState {
  std::string status;
  bool has_result = false;
  std::string result;        // when has_result
  std::string site_id_path;  // of the site's place, for scope checks
};

/// Fills `out` and returns true when the tube exists.
bool LoadTubeResultState(Connection& db, std::string_view barcode, TubeResultState& out);

struct TubeResultRecord {
  std::string_view tube;
  std::string_view result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::optional<std::string_view> correction_reason;
  std::int64_t recorded_at = 0;
  std::string_view recorded_by;
};

/// Appends to the tube's history; returns the new row's id.
std::int64_t InsertTubeResult(Tx& tx, const TubeResultRecord& record);

/// Sets the tube's standing result and moves it to `resulted` (the first result's time is
/// kept). REQUIRES: the tube's newest history row holds `result` — with a correction_reason
/// when it replaces a different result, or the trigger aborts the statement.
void SetTubeResult(Tx& tx, std::string_view tube, std::string_view result, std::int64_t now);

/// Appends each record to its tube's history and makes it the tube's standing result, as
/// InsertTubeResult then SetTubeResult would, but many records to a statement: one statement
/// per record would cost a statement-journal truncation each, which the in-memory journal
/// makes linear in the work already done inside the writer's savepoint (quadratic overall).
/// REQUIRES: each tube at most once in `records`; each record as SetTubeResult requires.
void RecordTubeResults(Tx& tx, std::span<const TubeResultRecord> records);

struct TubeResultRow {
  std::int64_t id = 0;
  std::string tube_barcode;
  std::string result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::optional<std::string> correction_reason;
  std::int64_t recorded_at = 0;
  std::string recorded_by;
};

/// Every result recorded for the tube, oldest first.
std::vector<TubeResultRow> TubeResultHistory(Connection& db, std::string_view tube);

}  // namespace swabline::store
