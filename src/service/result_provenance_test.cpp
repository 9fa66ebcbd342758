// Result provenance (docs/security.md, Malicious lab staff): every result names who recorded
// it, when, and in which upload; it changes afterwards only by a correction with a reason, and
// the database refuses any other change, whatever code path tries it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/lab.hpp"
#include "store/results.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using test::LabWorld;

UploadedResult Row(std::string tube, std::string result, std::string reason = "") {
  UploadedResult r;
  r.tube = std::move(tube);
  r.result = std::move(result);
  r.correction_reason = std::move(reason);
  return r;
}

ResultsReport Upload(LabWorld& w, const std::vector<UploadedResult>& rows) {
  auto report = w.InTx([&](store::Tx& tx) { return UploadResults(tx, w.env, w.lab, rows); });
  EXPECT_TRUE(report.ok());
  return report.ok() ? *report : ResultsReport{};
}

/// Runs `sql` on the test's connection; true when SQLite refused it.
bool Refused(LabWorld& w, const std::string& sql) {
  try {
    w.InTx([&](store::Tx& tx) { tx.db().Exec(sql); });
  } catch (const store::StoreError&) {
    return true;
  }
  return false;
}

TEST(ResultProvenance, EveryResultNamesItsUserTimeAndUpload) {
  LabWorld w;
  w.Tube("T-000001");
  w.Tube("T-000002");
  const ResultsReport first = Upload(w, {Row("T-000001", "negative"), Row("T-000002", "negative")});
  w.clock.Advance(test::kHour);
  const ResultsReport second = Upload(w, {Row("T-000001", "positive", "plate 7 swapped")});
  ASSERT_GT(first.upload_id, 0);
  ASSERT_GT(second.upload_id, first.upload_id);

  auto history = GetResultHistory(w.conn(), w.lab, "T-000001");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].upload_id, first.upload_id);
  EXPECT_EQ((*history)[0].recorded_by, "lab1");
  EXPECT_EQ((*history)[0].recorded_at, test::kStart);
  EXPECT_EQ((*history)[1].upload_id, second.upload_id);
  EXPECT_EQ((*history)[1].recorded_at, test::kStart + test::kHour);
  EXPECT_EQ((*history)[1].correction_reason, "plate 7 swapped");
  EXPECT_EQ(w.db.Count("SELECT row_count FROM result_uploads WHERE id = " +
                       std::to_string(first.upload_id)),
            2);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'results.upload' AND "
                       "entity_id = '" +
                       std::to_string(second.upload_id) + "'"),
            1);
}

TEST(ResultProvenance, ASecondUploadOfTheSameTubeCannotOverwriteItsResult) {
  LabWorld w;
  w.Tube("T-000001");
  Upload(w, {Row("T-000001", "negative")});
  const ResultsReport again = Upload(w, {Row("T-000001", "positive")});
  ASSERT_EQ(again.rejected.size(), 1u);
  EXPECT_EQ(again.rejected[0].code, core::ErrorCode::kConflictingResult);
  EXPECT_EQ(w.db.Count("SELECT result = 'negative' FROM tubes WHERE barcode = 'T-000001'"), 1);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM tube_results"), 1);
}

TEST(ResultProvenance, TheDatabaseRefusesEveryChangeButACorrection) {
  LabWorld w;
  w.Tube("T-000001");
  const ResultsReport report = Upload(w, {Row("T-000001", "negative")});
  const std::string upload = std::to_string(report.upload_id);

  EXPECT_TRUE(Refused(w, "UPDATE tube_results SET result = 'positive'"));
  EXPECT_TRUE(Refused(w, "UPDATE tube_results SET recorded_by = 'someone', upload_id = NULL"));
  EXPECT_TRUE(Refused(w, "DELETE FROM tube_results"));
  EXPECT_TRUE(Refused(w, "UPDATE tubes SET result = 'positive' WHERE barcode = 'T-000001'"));
  EXPECT_TRUE(Refused(w, "UPDATE tubes SET result = NULL WHERE barcode = 'T-000001'"));
  EXPECT_TRUE(Refused(w, "UPDATE tubes SET resulted_at = resulted_at + 1"));
  EXPECT_TRUE(Refused(w, "DELETE FROM tubes WHERE barcode = 'T-000001'"));
  EXPECT_TRUE(Refused(w, "UPDATE result_uploads SET uploaded_by = 'someone'"));
  EXPECT_TRUE(Refused(w, "DELETE FROM result_uploads"));
  // A "correction" whose reason is only blanks does not count as one.
  EXPECT_TRUE(Refused(w,
                      "INSERT INTO tube_results(tube_barcode, result, correction_reason, "
                      "recorded_at, recorded_by, upload_id) VALUES ('T-000001', 'positive', '  ', "
                      "1, 'lab1', " +
                          upload +
                          "); UPDATE tubes SET result = 'positive' WHERE barcode = 'T-000001'"));
  EXPECT_EQ(w.db.Count("SELECT result = 'negative' FROM tubes WHERE barcode = 'T-000001'"), 1);

  // The correction path: a history row with its reason first, then the standing result.
  EXPECT_FALSE(Refused(w,
                       "INSERT INTO tube_results(tube_barcode, result, correction_reason, "
                       "recorded_at, recorded_by, upload_id) VALUES ('T-000001', 'positive', "
                       "'plate 7 swapped', 1, 'lab1', " +
                           upload +
                           "); UPDATE tubes SET result = 'positive' WHERE barcode = 'T-000001'"));
  EXPECT_EQ(w.db.Count("SELECT result = 'positive' FROM tubes WHERE barcode = 'T-000001'"), 1);
}

}  // namespace
}  // namespace swabline::service
