// A statement refused by a guard (a trigger's RAISE(ABORT), a constraint) stops its whole use
// case: the use case throws store::ConstraintRefused, and nothing of it is committed. Before,
// the refusal was dropped and the rest of the use case committed without the refused change.
// The refusals here are a test's own TEMP triggers on the statements no guard of the schema
// refuses by design; the schema's own guards are the last test.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "service/sampling.hpp"
#include "store/results.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using store::ConstraintRefused;

constexpr const char* kTube = "T-GUARD";

/// A use case whose statement a guard refuses, and what must be as it was afterwards.
struct Refusal {
  const char* name;
  int samples;  // in the open tube beforehand
  const char* event;
  const char* when;  // which of `event`'s statements the guard refuses
  std::function<void(test::LabWorld&, store::Tx&)> use_case;
  std::vector<std::pair<const char*, std::int64_t>> after;  // query → its value afterwards
};

std::int64_t FirstSample(test::LabWorld& w) {
  return w.db.Count("SELECT MIN(id) FROM samples WHERE tube_barcode = 'T-GUARD'");
}

void Void(test::LabWorld& w, store::Tx& tx) {
  (void)VoidSample(tx, w.env, w.recorder, FirstSample(w), "wrong person");
}

const Refusal kRefusals[] = {
    {"AnAutomaticSealStopsTheScanThatFilledTheTube",
     9,
     "UPDATE OF status ON tubes",
     "NEW.status = 'sealed'",
     [](test::LabWorld& w, store::Tx& tx) {
       (void)AddSample(tx, w.env, w.recorder, kTube, {w.people.at(w.next_person), {}, false, {}});
     },
     {{"SELECT COUNT(*) FROM samples WHERE tube_barcode = 'T-GUARD'", 9},
      {"SELECT count FROM tubes WHERE barcode = 'T-GUARD'", 9},
      {"SELECT COUNT(*) FROM audit WHERE action = 'sample.add' AND detail LIKE 'tube=T-GUARD %'",
       9}}},
    {"ASealStopsSealTube",
     2,
     "UPDATE OF status ON tubes",
     "NEW.status = 'sealed'",
     [](test::LabWorld& w, store::Tx& tx) { (void)SealTube(tx, w.env, w.recorder, kTube); },
     {{"SELECT status = 'open' FROM tubes WHERE barcode = 'T-GUARD'", 1},
      {"SELECT COUNT(*) FROM audit WHERE action = 'tube.seal'", 0}}},
    {"ASlotReturnStopsVoidSampleAndTheSampleStaysValid",
     2,
     "UPDATE OF count ON tubes",
     "NEW.count < OLD.count",
     Void,
     {{"SELECT COUNT(*) FROM samples WHERE voided_at IS NOT NULL", 0},
      {"SELECT count FROM tubes WHERE barcode = 'T-GUARD'", 2}}},
    {"AVoidStopsVoidSampleBeforeTheSlotIsReturned",
     2,
     "UPDATE OF voided_at ON samples",
     "NEW.voided_at IS NOT NULL",
     Void,
     {{"SELECT count FROM tubes WHERE barcode = 'T-GUARD'", 2},
      {"SELECT COUNT(*) FROM audit WHERE action = 'sample.void'", 0}}},
};

class Guards : public testing::TestWithParam<Refusal> {};

// The refusal, a TEMP trigger, lives on the test's connection only.
TEST_P(Guards, RefusedStatementStopsItsUseCase) {
  const Refusal& r = GetParam();
  test::LabWorld w;
  w.Tube(kTube, r.samples, false);
  w.conn().Exec(std::string("CREATE TEMP TRIGGER test_guard BEFORE ") + r.event + " WHEN " +
                r.when + " BEGIN SELECT RAISE(ABORT, 'refused by the test''s guard'); END");

  EXPECT_THROW(w.InTx([&](store::Tx& tx) { r.use_case(w, tx); }), ConstraintRefused);
  for (const auto& [query, value] : r.after) EXPECT_EQ(w.db.Count(query), value) << query;
}

INSTANTIATE_TEST_SUITE_P(Refused, Guards, testing::ValuesIn(kRefusals),
                         [](const testing::TestParamInfo<Refusal>& info) {
                           return std::string(info.param.name);
                         });

TEST(SchemaGuards, TheResultGuardStopsAResultChangedWithoutACorrection) {
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
