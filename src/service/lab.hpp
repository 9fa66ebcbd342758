#pragma once
/// The lab (docs/architecture.md, the core loop, steps 4 and 5): it scans boxes in, settles what
/// was missing or unexpected in them, and uploads tube results in bulk. Each function that changes
/// anything is one use case run in the caller's transaction.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error_code.hpp"
#include "core/lab_result.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct ReceiptReport {
  std::string box;
  std::vector<std::string> received;    // in the order found
  std::vector<std::string> missing;     // in the box's order
  std::vector<std::string> unexpected;  // in the order found
};

/// Scans a box in with the barcodes found in it. Tubes found are received; each missing or
/// unexpected tube is recorded once as an open discrepancy (a repeat receipt records nothing
/// twice, and a tube found after it was reported missing settles that discrepancy).
/// kUnknownBox; kInvalidBarcode (carrying `tube`) for a found barcode that cannot be one.
core::Result<ReceiptReport> ReceiveBox(store::Tx& tx, const Env& env, const Actor& actor,
                                       const std::string& box,
                                       const std::vector<std::string>& found);

struct Discrepancy {
  std::int64_t id = 0;
  std::string box;
  std::string tube;
  std::string kind;  // missing, unexpected
  core::Micros created_at = 0;
  std::optional<core::Micros> resolved_at;
  std::optional<std::string> resolution;
};

struct DiscrepancyPage {
  std::vector<Discrepancy> discrepancies;
  std::optional<std::int64_t> next_cursor;  // pass as `cursor` for the next page
};

/// Discrepancies after `cursor`, oldest first, at most `limit`; only open ones when `open` is
/// true, only resolved ones when false.
core::Result<DiscrepancyPage> ListDiscrepancies(store::Connection& db, const Actor& actor,
                                                std::optional<bool> open, std::int64_t cursor,
                                                int limit);

/// Settles a discrepancy with what was done about it. kUnknownDiscrepancy, kReasonRequired;
/// resolving a resolved discrepancy keeps its first resolution.
core::Result<Discrepancy> ResolveDiscrepancy(store::Tx& tx, const Env& env, const Actor& actor,
                                             std::int64_t id, const std::string& resolution);

/// One row of a results upload, decoded from JSON or CSV.
struct UploadedResult {
  std::size_t index = 0;  // 0-based in a JSON array; the line (header = 1) in a CSV file
  std::string tube;
  std::string result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::string correction_reason;  // empty: none
  std::string malformed;          // why a part of the row could not be read; empty when fine
};

struct RejectedResult {
  std::size_t index = 0;
  std::string tube;
  core::ErrorCode code = core::ErrorCode::kInvalidResult;
  std::string detail;
};

struct ResultsReport {
  std::size_t accepted = 0;   // recorded + corrected + unchanged
  std::size_t recorded = 0;   // a first result for the tube
  std::size_t corrected = 0;  // a different result, with its reason
  std::size_t unchanged = 0;  // the result the tube already had
  std::vector<RejectedResult> rejected;
  std::int64_t upload_id = 0;  // every result this upload recorded or corrected carries it
};

/// Decodes a results CSV: a header naming `tube` and `result`, optionally `ct_orf1ab`, `ct_n`
/// and `correction_reason`, in any order; other columns are ignored and fields are trimmed.
/// A Ct that is not a number becomes the row's `malformed`. kInvalidRequest when a required
/// column is missing; kPayloadTooLarge beyond core::kMaxResultRows rows.
core::Result<std::vector<UploadedResult>> ResultRowsFromCsv(std::string_view csv);

/// Records results, each row on its own: a row that fails is reported with its code
/// (kUnknownTube, kForbidden, kTubeNotSealed, kInvalidResult, kConflictingResult) and the
/// others are kept. A row repeating the tube's result is accepted and changes nothing; a
/// different result needs a correction_reason and is appended to the tube's history before
/// it replaces the standing one. People's status follows from their tube's result when read,
/// so a result reaches every member of the pool in this same transaction.
/// Fails as a whole only for a forbidden actor or more than core::kMaxResultRows rows.
core::Result<ResultsReport> UploadResults(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::vector<UploadedResult>& rows);

/// One entry of a tube's result history.
struct RecordedResult {
  std::int64_t id = 0;
  std::string result;
  std::optional<double> ct_orf1ab;
  std::optional<double> ct_n;
  std::optional<std::string> correction_reason;
  core::Micros recorded_at = 0;
  std::string recorded_by;
  std::optional<std::int64_t> upload_id;  // null for results recorded before uploads were kept
};

/// Every result recorded for a tube, oldest first. kUnknownTube, kForbidden.
core::Result<std::vector<RecordedResult>> GetResultHistory(store::Connection& db,
                                                           const Actor& actor,
                                                           const std::string& tube);

}  // namespace swabline::service
