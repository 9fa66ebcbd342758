#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "service/lab.hpp"
#include "service/status.hpp"
#include "store/results.hpp"
#include "store/tubes.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::LabWorld;

/// A JSON-style row (0-based index) as the HTTP layer decodes it.
UploadedResult Row(std::size_t index, std::string tube, std::string result,
                   std::string correction_reason = "") {
  UploadedResult r;
  r.index = index;
  r.tube = std::move(tube);
  r.result = std::move(result);
  r.correction_reason = std::move(correction_reason);
  return r;
}

core::Result<ResultsReport> Upload(LabWorld& w, const std::vector<UploadedResult>& rows) {
  return w.InTx([&](store::Tx& tx) { return UploadResults(tx, w.env, w.lab, rows); });
}

core::Result<ResultsReport> UploadCsv(LabWorld& w, std::string_view csv) {
  auto rows = ResultRowsFromCsv(csv);
  if (!rows) return rows.take_error();
  return Upload(w, *rows);
}

/// Each rejected row as "index tube code".
std::vector<std::string> Rejections(const ResultsReport& report) {
  std::vector<std::string> out;
  for (const RejectedResult& r : report.rejected)
    out.push_back(std::to_string(r.index) + " " + r.tube + " " +
                  std::string(core::ErrorCodeName(r.code)));
  return out;
}

std::int64_t HistoryRows(LabWorld& w) { return w.db.Count("SELECT COUNT(*) FROM tube_results"); }

std::string StateOf(LabWorld& w, const std::string& id_number) {
  auto status = GetPersonStatus(w.conn(), w.env, Actor::System(), id_number);
  EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().detail);
  return status.ok() ? std::string(core::PersonStateName(status->status.state)) : "";
}

TEST(UploadResults, RecordsAResultAndMovesTheTubeToResulted) {
  LabWorld w;
  w.Tube("T-000001");
  w.clock.Advance(test::kHour);
  UploadedResult row = Row(0, "T-000001", "positive");
  row.ct_orf1ab = 31.27;
  row.ct_n = 29.5;
  auto report = Upload(w, {row});
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->accepted, 1u);
  EXPECT_EQ(report->recorded, 1u);
  EXPECT_TRUE(report->rejected.empty());

  auto tube = store::FindTube(w.conn(), "T-000001");
  EXPECT_EQ(tube->status, core::TubeStatus::kResulted);
  EXPECT_EQ(tube->result, core::TubeResult::kPositive);
  EXPECT_EQ(tube->resulted_at, test::kStart + test::kHour);
  auto history = store::TubeResultHistory(w.conn(), "T-000001");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].ct_orf1ab, 31.27);
  EXPECT_EQ(history[0].ct_n, 29.5);
  EXPECT_FALSE(history[0].correction_reason.has_value());
  EXPECT_EQ(history[0].recorded_by, "lab1");
}

TEST(UploadResults, ReachesEveryMemberOfThePoolAtOnce) {
  LabWorld w;
  w.Tube("T-000001", 3);  // people 0, 1, 2
  w.Tube("T-000002", 2);  // people 3, 4
  EXPECT_EQ(StateOf(w, w.people[0]), "pending");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "positive"), Row(1, "T-000002", "negative")}).ok());
  for (int i : {0, 1, 2}) EXPECT_EQ(StateOf(w, w.people[i]), "pool_positive") << i;
  for (int i : {3, 4}) EXPECT_EQ(StateOf(w, w.people[i]), "negative") << i;
}

TEST(UploadResults, GivesEveryRowItsOwnOutcome) {
  LabWorld w;
  w.Tube("T-OPEN01", 1, false);
  w.Tube("T-000001");
  w.Tube("T-000002");
  w.Tube("T-000003");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000003", "negative")}).ok());
  UploadedResult bad_ct = Row(6, "T-000002", "negative");
  bad_ct.malformed = "ct.n must be a number from 0 to 100";

  auto report = Upload(w, {Row(0, "T-000001", "negative"), Row(1, "T-NONE01", "negative"),
                           Row(2, "T-OPEN01", "negative"), Row(3, "T-000002", "inconclusive"),
                           Row(4, "T-000003", "positive"), Row(5, "", "negative"), bad_ct,
                           Row(7, "T-000003", "negative")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 2u);
  EXPECT_EQ(report->recorded, 1u);
  EXPECT_EQ(report->unchanged, 1u);
  EXPECT_EQ(Rejections(*report),
            (std::vector<std::string>{"1 T-NONE01 unknown_tube", "2 T-OPEN01 tube_not_sealed",
                                      "3 T-000002 invalid_result", "4 T-000003 conflicting_result",
                                      "5  unknown_tube", "6 T-000002 invalid_result"}));
  for (const RejectedResult& r : report->rejected) EXPECT_FALSE(r.detail.empty());
  EXPECT_EQ(w.TubeStatus("T-000002"), "sealed");
  EXPECT_EQ(store::FindTube(w.conn(), "T-000003")->result, core::TubeResult::kNegative);
  EXPECT_EQ(HistoryRows(w), 2);
}

TEST(UploadResults, ReadsCsvWithEveryRowCodeByLine) {
  LabWorld w;
  w.Tube("T-OPEN01", 1, false);
  w.Tube("T-000001");
  w.Tube("T-000002");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000002", "positive")}).ok());
  auto report = UploadCsv(w,
                          "Tube, result ,ct_orf1ab,ct_n,lab_note\r\n"
                          "T-000001,negative,38.5,,ok\r\n"
                          "T-NONE01,negative,,,\r\n"
                          "T-OPEN01,negative,,,\r\n"
                          "\r\n"
                          "T-000001,NEG,,,\r\n"
                          "T-000002,negative,,,\r\n"
                          " T-000001 , negative ,abc,,\r\n");
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->accepted, 1u);
  EXPECT_EQ(Rejections(*report),
            (std::vector<std::string>{"3 T-NONE01 unknown_tube", "4 T-OPEN01 tube_not_sealed",
                                      "6 T-000001 invalid_result", "7 T-000002 conflicting_result",
                                      "8 T-000001 invalid_result"}));
  auto history = store::TubeResultHistory(w.conn(), "T-000001");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].ct_orf1ab, 38.5);
  EXPECT_FALSE(history[0].ct_n.has_value());
}

TEST(UploadResults, CorrectsThroughACsvReasonColumn) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(UploadCsv(w, "tube,result\nT-000001,negative\n").ok());
  auto report =
      UploadCsv(w, "tube,result,correction_reason\nT-000001,positive,\"re-run, plate 7\"\n");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->corrected, 1u);
  EXPECT_EQ(store::TubeResultHistory(w.conn(), "T-000001").back().correction_reason,
            "re-run, plate 7");
}

TEST(ResultRowsFromCsv, RefusesAFileWithoutTheRequiredColumns) {
  for (std::string_view csv : {"", "tube,ct_n\nT-000001,30\n", "barcode,result\n"}) {
    auto rows = ResultRowsFromCsv(csv);
    ASSERT_FALSE(rows.ok()) << csv;
    EXPECT_EQ(rows.error().code, ErrorCode::kInvalidRequest);
  }
}

TEST(UploadResults, AcceptsTheSameResultAgainAndChangesNothing) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "negative")}).ok());
  w.clock.Advance(test::kHour);
  auto again = Upload(w, {Row(0, "T-000001", "negative"), Row(1, "T-000001", "negative", "why")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 2u);
  EXPECT_EQ(again->unchanged, 2u);
  EXPECT_TRUE(again->rejected.empty());
  EXPECT_EQ(HistoryRows(w), 1);
  EXPECT_EQ(store::FindTube(w.conn(), "T-000001")->resulted_at, test::kStart);
}

TEST(UploadResults, ACorrectionKeepsTheHistory) {
  LabWorld w;
  w.Tube("T-000001", 2);
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "negative")}).ok());
  w.clock.Advance(test::kHour);
  auto report = Upload(w, {Row(0, "T-000001", "positive", "plate 7 swapped; re-run")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->corrected, 1u);
  EXPECT_EQ(report->accepted, 1u);

  auto history = store::TubeResultHistory(w.conn(), "T-000001");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].result, "negative");
  EXPECT_FALSE(history[0].correction_reason.has_value());
  EXPECT_EQ(history[1].result, "positive");
  EXPECT_EQ(history[1].correction_reason, "plate 7 swapped; re-run");
  EXPECT_EQ(history[1].recorded_at, test::kStart + test::kHour);
  auto tube = store::FindTube(w.conn(), "T-000001");
  EXPECT_EQ(tube->result, core::TubeResult::kPositive);
  EXPECT_EQ(tube->resulted_at, test::kStart);  // turnaround counts from the first result
  EXPECT_EQ(StateOf(w, w.people[0]), "pool_positive");

  auto audit = w.Audit();
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[audit.size() - 2].action, "tube.result.correct");
  EXPECT_EQ(audit[audit.size() - 2].entity_id, "T-000001");
  EXPECT_EQ(audit.back().action, "results.upload");
}

TEST(UploadResults, RefusesACorrectionWithoutAReason) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "negative")}).ok());
  auto report = Upload(w, {Row(0, "T-000001", "positive")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 0u);
  EXPECT_EQ(Rejections(*report), (std::vector<std::string>{"0 T-000001 conflicting_result"}));
  EXPECT_EQ(HistoryRows(w), 1);
  EXPECT_EQ(store::FindTube(w.conn(), "T-000001")->result, core::TubeResult::kNegative);
}

TEST(UploadResults, TheDatabaseRefusesAResultChangedWithoutACorrection) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "negative")}).ok());
  EXPECT_THROW(w.conn().Exec("UPDATE tubes SET result = 'positive' WHERE barcode = 'T-000001'"),
               store::StoreError);
  // A plain (not correcting) history row does not open the door either.
  EXPECT_THROW(w.InTx([&](store::Tx& tx) {
    store::InsertTubeResult(tx, {"T-000001", "positive", {}, {}, {}, 0, "x", {}});
    store::SetTubeResult(tx, "T-000001", "positive", 0);
  }),
               store::StoreError);
  EXPECT_THROW(w.conn().Exec("UPDATE tube_results SET result = 'positive'"), store::StoreError);
  EXPECT_THROW(w.conn().Exec("DELETE FROM tube_results"), store::StoreError);
  EXPECT_EQ(store::FindTube(w.conn(), "T-000001")->result, core::TubeResult::kNegative);
  EXPECT_EQ(HistoryRows(w), 1);
}

TEST(UploadResults, TakesResultsForTubesAnywherePastSealing) {
  LabWorld w;
  for (const char* t : {"T-SEALED", "T-INBOX1", "T-TRANS1", "T-RECVD1"}) w.Tube(t);
  w.Box("BOX-0001", {"T-INBOX1"});
  w.Box("BOX-0002", {"T-TRANS1", "T-RECVD1"});
  w.InTx([&](store::Tx& tx) {
    EXPECT_TRUE(DispatchBox(tx, w.env, w.courier, "BOX-0002").ok());
    EXPECT_TRUE(ReceiveBox(tx, w.env, w.lab, "BOX-0002", {"T-RECVD1"}).ok());
  });
  EXPECT_EQ(w.TubeStatus("T-TRANS1"), "in_transit");
  auto report = Upload(w, {Row(0, "T-SEALED", "negative"), Row(1, "T-INBOX1", "invalid"),
                           Row(2, "T-TRANS1", "negative"), Row(3, "T-RECVD1", "positive")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 4u);
  for (const char* t : {"T-SEALED", "T-INBOX1", "T-TRANS1", "T-RECVD1"})
    EXPECT_EQ(w.TubeStatus(t), "resulted") << t;
}

TEST(UploadResults, WritesOneAuditRecordPerUpload) {
  LabWorld w;
  for (const char* t : {"T-000001", "T-000002", "T-000003"}) w.Tube(t);
  const std::size_t before = w.Audit().size();
  auto report = Upload(w, {Row(0, "T-000001", "negative"), Row(1, "T-000002", "negative"),
                           Row(2, "T-000003", "maybe")});
  ASSERT_TRUE(report.ok());
  auto audit = w.Audit();
  ASSERT_EQ(audit.size(), before + 1);
  EXPECT_EQ(audit.back().action, "results.upload");
  EXPECT_EQ(audit.back().actor, "lab1");
  EXPECT_EQ(audit.back().detail, "rows=3 recorded=2 corrected=0 unchanged=0 rejected=1");
}

TEST(UploadResults, IsForTheLab) {
  LabWorld w;
  w.Tube("T-000001");
  auto report = w.InTx([&](store::Tx& tx) {
    return UploadResults(tx, w.env, w.courier, {Row(0, "T-000001", "negative")});
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(HistoryRows(w), 0);
}

TEST(UploadResults, RejectsEachRowForATubeOutsideTheLabsPlaces) {
  LabWorld w;
  w.Tube("T-000001");
  w.Tube("T-000002");
  w.ImportOk(std::string(test::kCsvHeader) + test::IdNumber(61) +
             ",居民,13800000000,朝阳区,和平街街道,别的社区,1号楼,1单元,101,\n");
  const Actor elsewhere = w.ActorAt(core::Role::kLab, "朝阳区/和平街街道/别的社区", "lab2");
  const Actor here = w.ActorAt(core::Role::kLab, test::kLabCommunity, "lab3");
  const std::vector<UploadedResult> rows = {Row(0, "T-000001", "negative"),
                                            Row(1, "T-NONE01", "negative"),
                                            Row(2, "T-000002", "negative")};

  auto refused = w.InTx([&](store::Tx& tx) { return UploadResults(tx, w.env, elsewhere, rows); });
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->accepted, 0u);
  EXPECT_EQ(Rejections(*refused),
            (std::vector<std::string>{"0 T-000001 forbidden", "1 T-NONE01 unknown_tube",
                                      "2 T-000002 forbidden"}));
  EXPECT_EQ(HistoryRows(w), 0);

  auto kept = w.InTx([&](store::Tx& tx) { return UploadResults(tx, w.env, here, rows); });
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->recorded, 2u);
  EXPECT_EQ(Rejections(*kept), (std::vector<std::string>{"1 T-NONE01 unknown_tube"}));
}

TEST(UploadResults, RefusesMoreRowsThanOneUploadMayCarry) {
  LabWorld w;
  std::vector<UploadedResult> rows(core::kMaxResultRows + 1);
  auto report = Upload(w, rows);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kPayloadTooLarge);
}

/// `n` sealed tubes PREFIX-000001… straight into the table: the upload does not look at
/// their samples, and building them through the use cases would take the test's time.
void BulkTubes(LabWorld& w, std::string_view prefix, int n) {
  const bool postgres = w.conn().dialect() == store::Dialect::kPostgres;
  auto q = w.conn().Query(
      std::string("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) "
                  "INSERT INTO tubes(barcode, round_id, site_id, capacity, count, status, "
                  "opened_by, opened_at, sealed_at) SELECT ") +
      (postgres ? "CAST(?5 AS TEXT) || '-' || lpad(CAST(i AS TEXT), 6, '0')"
                : "printf('%s-%06d', ?5, i)") +
      ", ?2, ?3, 10, 10, 'sealed', 'bulk', ?4, ?4 FROM n");
  q->Bind(1, n).Bind(2, w.round_id).Bind(3, w.site_id).Bind(4, test::kStart).Bind(5, prefix);
  ASSERT_TRUE(q->Run());
}

std::string Bulk(int i) {
  std::array<char, 24> barcode{};
  std::snprintf(barcode.data(), barcode.size(), "BULK-%06d", i);
  return barcode.data();
}

TEST(UploadResults, DecidesEachRowOnWhatTheRowsBeforeItLeftAcrossBatches) {
  LabWorld w;
  BulkTubes(w, "BULK", 1100);  // a batch of 1024, then smaller ones
  std::vector<UploadedResult> rows;
  for (int i = 1; i <= 1100; ++i) rows.push_back(Row(rows.size(), Bulk(i), "negative"));
  rows.push_back(Row(rows.size(), Bulk(1), "positive", "re-run"));
  rows.push_back(Row(rows.size(), Bulk(2), "positive"));
  rows.push_back(Row(rows.size(), Bulk(1050), "positive", "plate 9"));  // its first is pending
  rows.push_back(Row(rows.size(), Bulk(1), "negative", "second re-run"));
  rows.push_back(Row(rows.size(), Bulk(3), "negative"));
  auto report = Upload(w, rows);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 1104u);
  EXPECT_EQ(report->recorded, 1100u);
  EXPECT_EQ(report->corrected, 3u);
  EXPECT_EQ(report->unchanged, 1u);
  EXPECT_EQ(Rejections(*report), (std::vector<std::string>{"1101 BULK-000002 conflicting_result"}));
  EXPECT_EQ(HistoryRows(w), 1103);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM tubes WHERE barcode LIKE 'BULK-%' AND status = "
                       "'resulted' AND result = 'negative'"),
            1099);
  auto history = store::TubeResultHistory(w.conn(), Bulk(1));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].result, "positive");
  EXPECT_EQ(history[1].correction_reason, "re-run");
  EXPECT_EQ(history[2].result, "negative");
  EXPECT_EQ(history[2].correction_reason, "second re-run");
  EXPECT_EQ(store::TubeResultHistory(w.conn(), Bulk(1050)).size(), 2u);
  EXPECT_EQ(store::FindTube(w.conn(), Bulk(1050))->result, core::TubeResult::kPositive);
}

TEST(UploadResults, LeavesATubeCorrectedBackToItsResultAsItStood) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(Upload(w, {Row(0, "T-000001", "negative")}).ok());
  w.clock.Advance(test::kHour);
  auto report = Upload(w, {Row(0, "T-000001", "positive", "plate 7 swapped"),
                           Row(1, "T-000001", "negative", "it was not")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->corrected, 2u);
  auto history = store::TubeResultHistory(w.conn(), "T-000001");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].result, "positive");
  EXPECT_EQ(history[2].result, "negative");
  EXPECT_EQ(history[2].correction_reason, "it was not");
  auto tube = store::FindTube(w.conn(), "T-000001");
  EXPECT_EQ(tube->result, core::TubeResult::kNegative);
  EXPECT_EQ(tube->status, core::TubeStatus::kResulted);
  EXPECT_EQ(tube->resulted_at, test::kStart);
}

TEST(ReadTubeResultStates, FindsEveryTubeWhetherTheBarcodesAreNeighboursOrFarApart) {
  LabWorld w;
  BulkTubes(w, "BULK", 3000);
  for (int step : {1, 7, 100}) {  // neighbours; a few between; too far apart for a walk
    std::vector<std::string> barcodes;
    for (int i = 1; i <= 3000; i += step) {
      barcodes.push_back(Bulk(i));
      if (i % 3 == 0) barcodes.push_back(Bulk(i) + "X");  // no such tube
    }
    barcodes.push_back("ZZZ-NONE");
    std::vector<std::string_view> views(barcodes.begin(), barcodes.end());
    std::vector<int> seen(barcodes.size(), 0);
    store::ReadTubeResultStates(w.conn(), views, [&](const store::TubeResultState& s) {
      ASSERT_LT(s.index, barcodes.size());
      ++seen[s.index];
      EXPECT_EQ(s.status, core::TubeStatus::kSealed);
      EXPECT_FALSE(s.result.has_value());
      EXPECT_EQ(s.site_id, w.site_id);
    });
    for (std::size_t i = 0; i < barcodes.size(); ++i)
      EXPECT_EQ(seen[i], barcodes[i].starts_with("BULK") && !barcodes[i].ends_with("X") ? 1 : 0)
          << "step " << step << ": " << barcodes[i];
  }
}

TEST(SetStandingResults, TheDatabaseRefusesABatchChangingAResultWithoutACorrection) {
  LabWorld w;
  BulkTubes(w, "BULK", 300);
  std::vector<std::string> barcodes;
  barcodes.reserve(300);
  for (int i = 1; i <= 300; ++i) barcodes.push_back(Bulk(i));
  std::vector<std::string_view> views(barcodes.begin(), barcodes.end());
  std::vector<std::int64_t> row_ids(barcodes.size());
  store::ReadTubeResultStates(
      w.conn(), views, [&](const store::TubeResultState& s) { row_ids[s.index] = s.row_id; });
  auto record = [&](store::Tx& tx, std::string_view result) {
    std::vector<store::TubeResultRecord> history;
    std::vector<store::StandingResult> standing;
    for (std::size_t i = 0; i < barcodes.size(); ++i) {
      history.push_back({barcodes[i], result, {}, {}, {}, 0, "lab1", {}});
      standing.push_back({row_ids[i], result});
    }
    store::AppendTubeResults(tx, history);
    store::SetStandingResults(tx, standing, 0);
  };
  w.InTx([&](store::Tx& tx) { record(tx, "negative"); });
  EXPECT_THROW(w.InTx([&](store::Tx& tx) { record(tx, "positive"); }), store::StoreError);
  EXPECT_EQ(HistoryRows(w), 300);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM tubes WHERE result = 'negative'"), 300);
}

TEST(UploadResults, TakesAHundredThousandRowsInOneUpload) {
  LabWorld w;
  constexpr int kRows = 100'000;
  BulkTubes(w, "BULK", kRows);
  std::string csv = "tube,result,ct_orf1ab,ct_n\n";
  csv.reserve(static_cast<std::size_t>(kRows) * 40);
  for (int i = 1; i <= kRows; ++i) {
    std::array<char, 64> line{};
    const bool positive = i % 997 == 0;
    std::snprintf(line.data(), line.size(), "BULK-%06d,%s,%s\n", i,
                  positive ? "positive" : "negative", positive ? "28.4,30.1" : ",");
    csv += line.data();
  }
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto rows = ResultRowsFromCsv(csv);
  ASSERT_TRUE(rows.ok());
  const auto t1 = Clock::now();
  auto report = Upload(w, *rows);
  const auto t2 = Clock::now();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, static_cast<std::size_t>(kRows));
  EXPECT_TRUE(report->rejected.empty());
  auto again = Upload(w, *rows);
  const auto t3 = Clock::now();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, static_cast<std::size_t>(kRows));
  EXPECT_EQ(HistoryRows(w), kRows);
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::cout << "[ timing ] 100,000-row CSV: decode " << ms(t1 - t0) << " ms, record " << ms(t2 - t1)
            << " ms (in one committed transaction), same file again " << ms(t3 - t2) << " ms\n";
}

}  // namespace
}  // namespace swabline::service
