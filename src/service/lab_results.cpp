// The results upload (docs/architecture.md, the core loop, step 5): up to 100,000 rows, each with
// its own outcome. The rows are decided in memory, in order, on their tubes' states read beforehand
// many to a query; then the changes are written many to a statement. Nothing is read or
// written per row, which is what lets one upload of 100,000 rows take a fraction of a second.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/csv.hpp"
#include "core/lab_result.hpp"
#include "core/text.hpp"
#include "core/tube.hpp"
#include "service/incidents.hpp"
#include "service/lab.hpp"
#include "store/audit.hpp"
#include "store/results.hpp"
#include "store/rounds.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

/// A tube the upload names, as it stands while its rows are decided one after another.
struct NamedTube {
  std::string_view barcode;
  bool exists = false;
  std::int64_t row_id = 0;
  std::int64_t site_id = 0;
  core::TubeStatus status = core::TubeStatus::kOpen;
  std::optional<core::TubeResult> standing;  // before the upload
  std::optional<core::TubeResult> current;   // after the rows decided so far
  std::optional<std::int64_t> incident_id;   // a retest tube's incident
};

/// The distinct tubes an upload names, in barcode order, and each row's tube among them.
/// Points into the rows it was made from. Not thread-safe.
class NamedTubes {
 public:
  explicit NamedTubes(const std::vector<UploadedResult>& rows);

  /// Reads every tube's state, many to a query, in barcode order (neighbours share pages).
  void Read(store::Connection& db);
  /// The tube row `row` names; nullptr when it names none.
  NamedTube* Of(std::size_t row) { return of_row_[row] == kNone ? nullptr : &tubes_[of_row_[row]]; }
  /// The standing result of each tube whose result the upload changed.
  std::vector<store::StandingResult> Changed() const;
  /// Tells the live dashboard of each tube whose result the upload changed, at its site.
  void Publish(store::Tx& tx, core::Micros now) const;
  /// Runs the outbreak follow-up (service/incidents.hpp) for each changed tube that became
  /// positive or is a retest: a negative screening tube costs a comparison.
  void FollowUp(ChangeBy& by) const;

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<NamedTube> tubes_;
  std::vector<std::uint32_t> of_row_;  // index into tubes_, or kNone
};

NamedTubes::NamedTubes(const std::vector<UploadedResult>& rows) : of_row_(rows.size(), kNone) {
  std::vector<std::uint32_t> order;
  order.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].tube.empty()) order.push_back(static_cast<std::uint32_t>(i));
  auto by_tube = [&](std::uint32_t a, std::uint32_t b) { return rows[a].tube < rows[b].tube; };
  // A lab's file usually comes in barcode order already; checking costs one pass.
  if (!std::is_sorted(order.begin(), order.end(), by_tube))
    std::sort(order.begin(), order.end(), by_tube);
  tubes_.reserve(order.size());
  for (std::uint32_t i : order) {
    if (tubes_.empty() || tubes_.back().barcode != rows[i].tube) {
      NamedTube& t = tubes_.emplace_back();
      t.barcode = rows[i].tube;
    }
    of_row_[i] = static_cast<std::uint32_t>(tubes_.size() - 1);
  }
}

void NamedTubes::Read(store::Connection& db) {
  std::vector<std::string_view> barcodes;
  barcodes.reserve(tubes_.size());
  for (const NamedTube& t : tubes_) barcodes.push_back(t.barcode);
  store::ReadTubeResultStates(db, barcodes, [&](const store::TubeResultState& s) {
    NamedTube& t = tubes_[s.index];
    t.exists = true;
    t.row_id = s.row_id;
    t.site_id = s.site_id;
    t.status = s.status;
    t.standing = s.result;
    t.current = t.standing;
    t.incident_id = s.incident_id;
  });
}

std::vector<store::StandingResult> NamedTubes::Changed() const {
  std::vector<store::StandingResult> out;
  for (const NamedTube& t : tubes_)
    if (t.current != t.standing) out.push_back({t.row_id, core::TubeResultName(*t.current)});
  return out;
}

void NamedTubes::Publish(store::Tx& tx, core::Micros now) const {
  std::unordered_map<std::int64_t, core::PlaceIds> sites;  // an upload covers a few sites
  for (const NamedTube& t : tubes_) {
    if (t.current == t.standing) continue;
    auto it = sites.find(t.site_id);
    if (it == sites.end()) {
      const auto site = store::FindSite(tx.db(), t.site_id);
      it = sites.emplace(t.site_id, core::PlaceIdsOf(site ? site->place_id_path : "/")).first;
    }
    core::LiveEvent e;
    e.kind = core::LiveEventKind::kResults;
    e.place = it->second;
    e.subject = t.site_id;
    e.positives = t.current == core::TubeResult::kPositive ? 1 : 0;
    e.at = now;
    tx.Publish(e);
  }
}

void NamedTubes::FollowUp(ChangeBy& by) const {
  for (const NamedTube& t : tubes_)
    if (t.current != t.standing && (t.current == core::TubeResult::kPositive || t.incident_id))
      FollowUpResult(by, t.barcode, *t.current, t.incident_id);
}

/// The actor's scope, checked once per site rather than once per row.
class SiteScopes {
 public:
  SiteScopes(store::Connection& db, const Actor& actor) : db_(db), actor_(actor) {}

  core::Status Check(std::int64_t site_id) {
    if (actor_.scope_id_path.empty()) return core::Ok{};
    auto it = checked_.find(site_id);
    if (it == checked_.end()) {
      const auto site = store::FindSite(db_, site_id);
      it = checked_.emplace(site_id, RequireInScope(actor_, site ? site->place_id_path : "")).first;
    }
    return it->second;
  }

 private:
  store::Connection& db_;
  const Actor& actor_;
  std::unordered_map<std::int64_t, core::Status> checked_;
};

/// Decides one row on its tube as the rows before it left it; an error is the row's
/// rejection. Checks in the order docs/openapi.yaml lists (POST /lab/results): kUnknownTube,
/// kForbidden, kTubeNotSealed, kInvalidResult, kConflictingResult.
core::Result<core::ResultDecision> DecideRow(const UploadedResult& row, const NamedTube* tube,
                                             SiteScopes& scopes) {
  if (row.tube.empty()) return core::Fail(ErrorCode::kUnknownTube, "the row names no tube");
  if (!tube || !tube->exists)
    return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + row.tube + "'");
  SWB_TRY(scopes.Check(tube->site_id));
  core::ResultDecision decision;
  SWB_TRY_ASSIGN(decision, core::DecideUploadedResult(tube->status, tube->current, row.result,
                                                      !row.correction_reason.empty()));
  if (!row.malformed.empty()) return core::Fail(ErrorCode::kInvalidResult, row.malformed);
  return decision;
}

}  // namespace

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
    // Refused whole, as a file that is not a results table: what a lab's system writes never
    // holds U+0000 or a row far wider than the six columns.
    if (core::HasNul(fields))
      return core::Fail(ErrorCode::kNulCharacter, "line " + std::to_string(reader.line()) +
                                                      ": a field holds the character U+0000");
    if (fields.size() >= core::kMaxCsvFields)
      return core::Fail(ErrorCode::kTooManyColumns,
                        "line " + std::to_string(reader.line()) + " has too many columns");
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
  NamedTubes tubes(rows);
  tubes.Read(tx.db());
  SiteScopes scopes(tx.db(), actor);
  ResultsReport report;
  const core::Micros now = env.clock.Now();
  std::vector<store::TubeResultRecord> history;  // points into `rows`: no copies per row
  history.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const UploadedResult& row = rows[i];
    NamedTube* tube = tubes.Of(i);
    auto decided = DecideRow(row, tube, scopes);
    if (!decided) {
      report.rejected.push_back(
          {row.index, row.tube, decided.error().code, std::move(decided.take_error().detail)});
      continue;
    }
    ++report.accepted;
    if (decided->change == core::ResultChange::kUnchanged) {
      ++report.unchanged;
      continue;
    }
    const bool correcting = decided->change == core::ResultChange::kCorrect;
    ++(correcting ? report.corrected : report.recorded);
    const std::string_view result = core::TubeResultName(decided->result);
    history.push_back(
        {row.tube, result, row.ct_orf1ab, row.ct_n,
         correcting ? std::optional<std::string_view>(row.correction_reason) : std::nullopt, now,
         actor.username, std::nullopt});  // the upload's id, once its row is written below
    if (correcting)
      store::AppendAudit(tx, now,
                         {actor.username, "tube.result.correct", "tube", row.tube,
                          std::string(core::TubeResultName(*tube->current)) + " -> " +
                              std::string(result) + ": " + row.correction_reason});
    tube->current = decided->result;
    tube->status = core::TubeStatus::kResulted;
  }
  report.upload_id =
      store::InsertResultUpload(tx, {now, actor.username, rows.size(), report.recorded,
                                     report.corrected, report.unchanged, report.rejected.size()});
  for (store::TubeResultRecord& r : history) r.upload_id = report.upload_id;
  // The history first: a tube's standing result may change only to its newest history row.
  store::AppendTubeResults(tx, history);
  store::SetStandingResults(tx, tubes.Changed(), now);
  tubes.Publish(tx, now);
  ChangeBy by{tx, now, actor.username};
  tubes.FollowUp(by);
  store::AppendAudit(
      tx, now,
      {actor.username, "results.upload", "tube_result", std::to_string(report.upload_id),
       "rows=" + std::to_string(rows.size()) + " recorded=" + std::to_string(report.recorded) +
           " corrected=" + std::to_string(report.corrected) +
           " unchanged=" + std::to_string(report.unchanged) +
           " rejected=" + std::to_string(report.rejected.size())});
  return report;
}

core::Result<std::vector<RecordedResult>> GetResultHistory(store::Connection& db,
                                                           const Actor& actor,
                                                           const std::string& barcode) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  auto tube = store::FindTube(db, barcode);
  if (!tube) return core::Fail(ErrorCode::kUnknownTube, "no tube with barcode '" + barcode + "'");
  SWB_TRY(RequireInScope(actor, tube->site_id_path));
  std::vector<RecordedResult> out;
  for (auto& r : store::TubeResultHistory(db, barcode))
    out.push_back({r.id, std::move(r.result), r.ct_orf1ab, r.ct_n, std::move(r.correction_reason),
                   r.recorded_at, std::move(r.recorded_by), r.upload_id});
  return out;
}

}  // namespace swabline::service
