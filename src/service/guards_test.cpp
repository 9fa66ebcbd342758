// A statement refused by a guard (a trigger's RAISE(ABORT), a constraint) stops its whole use
// case: the use case throws store::ConstraintRefused, and nothing of it is committed. Before,
// the refusal was dropped and the rest of the use case committed without the refused change.
// The refusals here are a test's own TEMP triggers on the statements no guard of the schema
// refuses by design; the schema's own guards are the last test.

#include <gtest/gtest.h>

#include <string>

#include "service/sampling.hpp"
#include "store/results.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using store::ConstraintRefused;

/// Refuses, on the test's connection only, the statements `when` picks out on `table`.
void Refuse(test::LabWorld& w, const std::string& event, const std::string& when) {
  w.conn().Exec("CREATE TEMP TRIGGER test_guard BEFORE " + event + " WHEN " + when +
                " BEGIN SELECT RAISE(ABORT, 'refused by the test''s guard'); END");
}

TEST(Guards, ARefusedAutomaticSealStopsTheScanThatFilledTheTube) {
  test::LabWorld w;
  const std::string tube = w.Tube("T-GUARD1", 9, false);
  Refuse(w, "UPDATE OF status ON tubes", "NEW.status = 'sealed'");

  EXPECT_THROW(w.InTx([&](store::Tx& tx) {
    return AddSample(tx, w.env, w.recorder, tube, {w.people.at(w.next_person), {}, false, {}});
  }),
               ConstraintRefused);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM samples WHERE tube_barcode = 'T-GUARD1'"), 9);
  EXPECT_EQ(w.db.Count("SELECT count FROM tubes WHERE barcode = 'T-GUARD1'"), 9);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'sample.add' AND detail LIKE "
                       "'tube=T-GUARD1 %'"),
            9);
}

TEST(Guards, ARefusedSealStopsSealTube) {
  test::LabWorld w;
  const std::string tube = w.Tube("T-GUARD2", 2, false);
  Refuse(w, "UPDATE OF status ON tubes", "NEW.status = 'sealed'");

  EXPECT_THROW(w.InTx([&](store::Tx& tx) { return SealTube(tx, w.env, w.recorder, tube); }),
               ConstraintRefused);
  EXPECT_EQ(w.db.Count("SELECT status = 'open' FROM tubes WHERE barcode = 'T-GUARD2'"), 1);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'tube.seal'"), 0);
}

TEST(Guards, ARefusedSlotReturnStopsVoidSampleAndTheSampleStaysValid) {
  test::LabWorld w;
  const std::string tube = w.Tube("T-GUARD3", 2, false);
  const std::int64_t sample =
      w.db.Count("SELECT MIN(id) FROM samples WHERE tube_barcode = 'T-GUARD3'");
  Refuse(w, "UPDATE OF count ON tubes", "NEW.count < OLD.count");

  EXPECT_THROW(w.InTx([&](store::Tx& tx) {
    return VoidSample(tx, w.env, w.recorder, sample, "wrong person");
  }),
               ConstraintRefused);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM samples WHERE voided_at IS NOT NULL"), 0);
  EXPECT_EQ(w.db.Count("SELECT count FROM tubes WHERE barcode = 'T-GUARD3'"), 2);
}

TEST(Guards, ARefusedVoidStopsVoidSampleBeforeTheSlotIsReturned) {
  test::LabWorld w;
  const std::string tube = w.Tube("T-GUARD4", 2, false);
  const std::int64_t sample =
      w.db.Count("SELECT MIN(id) FROM samples WHERE tube_barcode = 'T-GUARD4'");
  Refuse(w, "UPDATE OF voided_at ON samples", "NEW.voided_at IS NOT NULL");

  EXPECT_THROW(w.InTx([&](store::Tx& tx) {
    return VoidSample(tx, w.env, w.recorder, sample, "wrong person");
  }),
               ConstraintRefused);
  EXPECT_EQ(w.db.Count("SELECT count FROM tubes WHERE barcode = 'T-GUARD4'"), 2);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'sample.void'"), 0);
}

TEST(Guards, TheSchemasResultGuardStopsAResultChangedWithoutACorrection) {
  test::LabWorld w;
  const std::string tube = w.Tube("T-GUARD5", 2, true);
  w.InTx([&](store::Tx& tx) { store::SetTubeResult(tx, tube, "negative", 1); });

  EXPECT_THROW(w.InTx([&](store::Tx& tx) {
    store::AppendAudit(tx, 2, {"lab1", "result.change", "tube", tube, ""});
    store::SetTubeResult(tx, tube, "positive", 2);
  }),
               store::StoreError);
  EXPECT_EQ(w.db.Count("SELECT result = 'negative' FROM tubes WHERE barcode = 'T-GUARD5'"), 1);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'result.change'"), 0);
}

}  // namespace
}  // namespace swabline::service
