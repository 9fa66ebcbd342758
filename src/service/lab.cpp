#include "service/lab.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/box.hpp"
#include "core/csv.hpp"
#include "core/lab_result.hpp"
#include "core/receipt.hpp"
#include "core/tube.hpp"
#include "store/audit.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

constexpr std::string_view kMissing = "missing";
constexpr std::string_view kUnexpected = "unexpected";

/// Records a discrepancy unless an earlier receipt of the box recorded it already.
int RecordDiscrepancies(store::Tx& tx, const std::string& box,
                        const std::vector<std::string>& tubes, std::string_view kind,
                        core::Micros now) {
  int recorded = 0;
  for (const std::string& tube : tubes) {
    if (store::HasDiscrepancy(tx.db(), box, tube, kind)) continue;
    store::InsertDiscrepancy(tx, box, tube, kind, now);
    ++recorded;
  }
  return recorded;
}

/// Result records waiting to be written, each tube at most once, with a small open-addressing
/// index by tube so that a 100,000-row upload neither scans nor allocates per row.
/// Not thread-safe.
class PendingResults {
 public:
  explicit PendingResults(store::Tx& tx) : tx_(tx), slots_(kSlots, kEmpty) {
    records_.reserve(kBatch);
  }

  /// Writes the batch when it holds a record for `tube`.
  void FlushIfHolds(std::string_view tube) {
    for (std::size_t i = Home(tube); slots_[i] != kEmpty; i = (i + 1) % kSlots)
      if (records_[slots_[i]].tube == tube) return Flush();
  }

  /// REQUIRES: no record for the same tube is pending (FlushIfHolds first).
  void Add(const store::TubeResultRecord& record) {
    std::size_t i = Home(record.tube);
    while (slots_[i] != kEmpty) i = (i + 1) % kSlots;
    slots_[i] = static_cast<std::uint32_t>(records_.size());
    records_.push_back(record);
    if (records_.size() == kBatch) Flush();
  }

  void Flush() {
    if (records_.empty()) return;
    store::RecordTubeResults(tx_, records_);
    records_.clear();
    std::fill(slots_.begin(), slots_.end(), kEmpty);
  }

 private:
  static constexpr std::size_t kBatch = 1024;
  static constexpr std::size_t kSlots = 4 * kBatch;  // never more than a quarter full
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  static std::size_t Home(std::string_view tube) {
    return std::hash<std::string_view>{}(tube) % kSlots;
  }

  store::Tx& tx_;
  std::vector<store::TubeResultRecord> records_;
  std::vector<std::uint32_t> slots_;  // indexes into records_, or kEmpty
};

struct RowDecision {
  core::ResultDecision decision;
  std::optional<core::TubeResult> current;  // the tube's result before this row
};

/// Decides one uploaded row against its tube as it stands; an error is the row's rejection.
/// Checks in API.md's order: kUnknownTube, kForbidden, kTubeNotSealed, kInvalidResult,
/// kConflictingResult. `tube` is scratch space, reused from row to row.
core::Result<RowDecision> DecideRow(store::Connection& db, const Actor& actor,
                                    const UploadedResult& row, store::TubeResultState& tube) {
  if (row.tube.empty()) return core::Fail(ErrorCode::kUnknownTube, "the row names no tube");
  if (!store::LoadTubeResultState(db, row.tube, tube))
    return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + row.tube + "'");
  SWB_TRY(RequireInScope(actor, tube.site_id_path));
  const auto status = core::ParseTubeStatus(tube.status).value_or(core::TubeStatus::kOpen);
  const auto current =
      tube.has_result ? core::ParseTubeResult(tube.result) : std::optional<core::TubeResult>();
  core::ResultDecision decision;
  SWB_TRY_ASSIGN(decision, core::DecideUploadedResult(status, current, row.result,
                                                      !row.correction_reason.empty()));
  if (!row.malformed.empty()) return core::Fail(ErrorCode::kInvalidResult, row.malformed);
  return RowDecision{decision, current};
}

}  // namespace

core::Result<ReceiptReport> ReceiveBox(store::Tx& tx, const Env& env, const Actor& actor,
                                       const std::string& box,
                                       const std::vector<std::string>& found) {
  SWB_TRY(Require(actor, core::Permission::kLab));
  if (!store::FindBox(tx.db(), box))
    return core::Fail(ErrorCode::kUnknownBox, "no box with barcode '" + box + "'");
  for (const std::string& barcode : found) {
    if (barcode.empty()) continue;
    if (auto valid = core::CheckBarcode(barcode); !valid)
      return valid.take_error().With("tube", barcode);
  }
  const std::vector<store::BoxedTube> in_box = store::TubesInBox(tx.db(), box);
  std::vector<std::string> expected;
  std::unordered_map<std::string_view, std::string_view> status_of;
  expected.reserve(in_box.size());
  for (const store::BoxedTube& t : in_box) {
    expected.push_back(t.barcode);
    status_of.emplace(t.barcode, t.status);
  }
  core::ReceiptOutcome outcome = core::ReconcileReceipt(expected, found);
  // A repeat receipt that scans fewer tubes does not make missing what an earlier receipt of
  // this box already found.
  std::unordered_set<std::string_view> received_before;
  for (const store::BoxedTube& t : in_box)
    if (t.received) received_before.insert(t.barcode);
  std::erase_if(outcome.missing,
                [&](const std::string& tube) { return received_before.contains(tube); });

  const core::Micros now = env.clock.Now();
  for (const std::string& tube : outcome.received) {
    const auto status = core::ParseTubeStatus(status_of[tube]).value_or(core::TubeStatus::kOpen);
    store::ReceiveTubeRow(tx, tube, core::ReceiptMovesTube(status), now);
    store::ResolveOpenDiscrepancies(tx, box, tube, kMissing, "found on a later receipt", now);
  }
  const int recorded = RecordDiscrepancies(tx, box, outcome.missing, kMissing, now) +
                       RecordDiscrepancies(tx, box, outcome.unexpected, kUnexpected, now);
  store::ReceiveBoxRow(tx, box, now);
  store::AppendAudit(tx, now,
                     {actor.username, "box.receive", "box", box,
                      "received=" + std::to_string(outcome.received.size()) +
                          " missing=" + std::to_string(outcome.missing.size()) +
                          " unexpected=" + std::to_string(outcome.unexpected.size()) +
                          " new_discrepancies=" + std::to_string(recorded)});
  return ReceiptReport{box, std::move(outcome.received), std::move(outcome.missing),
                       std::move(outcome.unexpected)};
}

core::Result<DiscrepancyPage> ListDiscrepancies(store::Connection& db, const Actor& actor,
                                                std::optional<bool> open, std::int64_t cursor,
                                                int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  limit = std::clamp(limit, 1, 1000);
  DiscrepancyPage page;
  page.discrepancies = store::ListDiscrepancies(db, open, cursor, limit + 1);
  if (page.discrepancies.size() > static_cast<std::size_t>(limit)) {
    page.discrepancies.resize(static_cast<std::size_t>(limit));
    page.next_cursor = page.discrepancies.back().id;
  }
  return page;
}

core::Result<store::DiscrepancyRow> ResolveDiscrepancy(store::Tx& tx, const Env& env,
                                                       const Actor& actor, std::int64_t id,
                                                       const std::string& resolution) {
  SWB_TRY(Require(actor, core::Permission::kLab));
  if (!store::FindDiscrepancy(tx.db(), id))
    return core::Fail(ErrorCode::kUnknownDiscrepancy,
                      "no discrepancy with id " + std::to_string(id));
  if (core::TrimBlanks(resolution).empty())
    return core::Fail(ErrorCode::kReasonRequired, "say how the discrepancy was resolved");
  const core::Micros now = env.clock.Now();
  if (store::ResolveDiscrepancyRow(tx, id, resolution, now))
    store::AppendAudit(
        tx, now,
        {actor.username, "discrepancy.resolve", "discrepancy", std::to_string(id), resolution});
  return *store::FindDiscrepancy(tx.db(), id);
}

core::Result<std::vector<UploadedResult>> ResultRowsFromCsv(std::string_view csv) {
  enum Column { kTube, kResult, kCtOrf1ab, kCtN, kReason, kColumnCount };
  constexpr std::array<std::string_view, kColumnCount> kHeader = {"tube", "result", "ct_orf1ab",
                                                                  "ct_n", "correction_reason"};
  core::CsvReader reader(csv);
  std::vector<std::string> fields;
  if (!reader.Next(fields))
    return core::Fail(ErrorCode::kInvalidRequest, "the CSV is empty; the header row is missing");
  std::array<int, kColumnCount> index;
  index.fill(-1);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string h(core::TrimBlanks(fields[i]));
    std::transform(h.begin(), h.end(), h.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    for (std::size_t c = 0; c < kColumnCount; ++c)
      if (h == kHeader[c] && index[c] < 0) index[c] = static_cast<int>(i);
  }
  for (Column c : {kTube, kResult})
    if (index[c] < 0)
      return core::Fail(ErrorCode::kInvalidRequest,
                        "the header row lacks the column '" + std::string(kHeader[c]) +
                            "'; expected tube,result and optionally ct_orf1ab,ct_n,"
                            "correction_reason")
          .With("column", std::string(kHeader[c]));

  auto field = [&](Column c) -> std::string_view {
    const int i = index[c];
    return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? core::TrimBlanks(fields[i])
                                                                 : std::string_view();
  };
  auto ct = [&](Column c, std::optional<double>& value, std::string& malformed) {
    const std::string_view text = field(c);
    if (text.empty()) return;
    value = core::ParseCtValue(text);
    if (!value && malformed.empty())
      malformed = std::string(kHeader[c]) + " must be a number from 0 to 100, not '" +
                  std::string(text.substr(0, 40)) + "'";
  };
  std::vector<UploadedResult> rows;
  rows.reserve(std::min<std::size_t>(
      static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), core::kMaxResultRows));
  while (reader.Next(fields)) {
    if (rows.size() == core::kMaxResultRows)
      return core::Fail(ErrorCode::kPayloadTooLarge, "at most " +
                                                         std::to_string(core::kMaxResultRows) +
                                                         " results per upload; split the file");
    UploadedResult& row = rows.emplace_back();
    row.index = reader.line();
    row.tube = field(kTube);
    row.result = field(kResult);
    row.correction_reason = field(kReason);
    ct(kCtOrf1ab, row.ct_orf1ab, row.malformed);
    ct(kCtN, row.ct_n, row.malformed);
  }
  return rows;
}

core::Result<ResultsReport> UploadResults(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::vector<UploadedResult>& rows) {
  SWB_TRY(Require(actor, core::Permission::kLab));
  if (rows.size() > core::kMaxResultRows)
    return core::Fail(
        ErrorCode::kPayloadTooLarge,
        "at most " + std::to_string(core::kMaxResultRows) + " results per upload; split it");
  ResultsReport report;
  const core::Micros now = env.clock.Now();
  // Changes are written a batch at a time (store::RecordTubeResults). A row whose tube is
  // already in the batch flushes it first, so that every row is decided on its tube as the
  // rows before it left it. The records point into `rows`: nothing is copied per row.
  PendingResults pending(tx);
  store::TubeResultState tube;  // reused: no allocation per row once warm
  for (const UploadedResult& row : rows) {
    pending.FlushIfHolds(row.tube);
    auto decided = DecideRow(tx.db(), actor, row, tube);
    if (!decided) {
      report.rejected.push_back(
          {row.index, row.tube, decided.error().code, std::move(decided.take_error().detail)});
      continue;
    }
    ++report.accepted;
    const core::ResultChange change = decided->decision.change;
    if (change == core::ResultChange::kUnchanged) {
      ++report.unchanged;
      continue;
    }
    const bool correcting = change == core::ResultChange::kCorrect;
    ++(correcting ? report.corrected : report.recorded);
    const std::string_view result = core::TubeResultName(decided->decision.result);
    pending.Add({row.tube, result, row.ct_orf1ab, row.ct_n,
                 correcting ? std::optional<std::string_view>(row.correction_reason) : std::nullopt,
                 now, actor.username});
    if (correcting)
      store::AppendAudit(tx, now,
                         {actor.username, "tube.result.correct", "tube", row.tube,
                          std::string(core::TubeResultName(*decided->current)) + " -> " +
                              std::string(result) + ": " + row.correction_reason});
  }
  pending.Flush();
  store::AppendAudit(
      tx, now,
      {actor.username, "results.upload", "tube_result", "",
       "rows=" + std::to_string(rows.size()) + " recorded=" + std::to_string(report.recorded) +
           " corrected=" + std::to_string(report.corrected) +
           " unchanged=" + std::to_string(report.unchanged) +
           " rejected=" + std::to_string(report.rejected.size())});
  return report;
}

core::Result<std::vector<store::TubeResultRow>> GetResultHistory(store::Connection& db,
                                                                 const Actor& actor,
                                                                 const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  auto tube = store::FindTube(db, barcode);
  if (!tube) return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + barcode + "'");
  SWB_TRY(RequireInScope(actor, tube->site_id_path));
  return store::TubeResultHistory(db, barcode);
}

}  // namespace swabline::service
