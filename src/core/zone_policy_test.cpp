#include "core/zone_policy.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

constexpr Micros kHour = Micros{3'600} * 1'000'000;
constexpr Micros kDay = 24 * kHour;

// 2026-12-01T08:00:00+08:00, when the zone starts.
const Micros kT0 = *ParseRfc3339("2026-12-01T08:00:00+08:00");

ZoneFacts Sealed() { return {ZoneLevel::kSealed, kT0, std::nullopt, std::nullopt, {}}; }

template <typename T>
bool RefusedNaming(const Result<T>& result, std::string_view field) {
  return !result.ok() && result.error().code == ErrorCode::kInvalidField &&
         result.error().detail.starts_with(field);
}

TEST(ZonePolicyDefault, HasTheStatedNumbers) {
  ZonePolicy p = DefaultZonePolicy();
  EXPECT_TRUE(ValidateZonePolicy(p).ok());
  ASSERT_EQ(ZonesForPositivePool(p).size(), 1u);
  EXPECT_EQ(ZonesForPositivePool(p)[0], (ZoneEffect{PlaceKind::kUnit, ZoneLevel::kTemporary}));
  ASSERT_EQ(ZonesForPositivePerson(p).size(), 2u);
  EXPECT_EQ(ZonesForPositivePerson(p)[0], (ZoneEffect{PlaceKind::kUnit, ZoneLevel::kSealed}));
  EXPECT_EQ(ZonesForPositivePerson(p)[1],
            (ZoneEffect{PlaceKind::kBuilding, ZoneLevel::kControlled}));
  EXPECT_EQ(p.pool_size, (std::map<ZoneLevel, int>{{ZoneLevel::kSealed, 1},
                                                   {ZoneLevel::kControlled, 10},
                                                   {ZoneLevel::kPrevention, 20}}));
  EXPECT_EQ(p.lift.at(ZoneLevel::kSealed), (LiftRule{7, true, ZoneLevel::kControlled, 3}));
  EXPECT_EQ(p.lift.at(ZoneLevel::kControlled), (LiftRule{3, false, std::nullopt, 0}));
  EXPECT_EQ(p.lift.size(), 2u);
}

TEST(ZonePolicyEntries, SpellTheDefaultAsTheDocumentedJsonLeaves) {
  std::vector<PolicyEntry> expected{
      {"pool_positive.unit", std::string("temporary")},
      {"positive.unit", std::string("sealed")},
      {"positive.building", std::string("controlled")},
      {"pool_size.sealed", std::int64_t{1}},
      {"pool_size.controlled", std::int64_t{10}},
      {"pool_size.prevention", std::int64_t{20}},
      {"retest_due_hours", std::int64_t{24}},
      {"lift.sealed.days_without_positive", std::int64_t{7}},
      {"lift.sealed.all_negative_round_on_last_day", true},
      {"lift.sealed.then", std::string("controlled")},
      {"lift.sealed.then_days", std::int64_t{3}},
      {"lift.controlled.days_without_positive", std::int64_t{3}},
      {"lift.controlled.all_negative_round_on_last_day", false},
  };
  EXPECT_EQ(ZonePolicyEntries(DefaultZonePolicy()), expected);
  auto back = ZonePolicyFromEntries(expected);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, DefaultZonePolicy());
}

TEST(ZonePolicyEntries, LeaveOutWhatIsNotGiven) {
  std::vector<PolicyEntry> entries{{"lift.sealed.days_without_positive", std::int64_t{14}}};
  auto policy = ZonePolicyFromEntries(entries);
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->on_pool_positive.empty());
  EXPECT_TRUE(policy->pool_size.empty());
  EXPECT_EQ(policy->lift.at(ZoneLevel::kSealed), (LiftRule{14, false, std::nullopt, 0}));
  EXPECT_TRUE(ZonePolicyFromEntries({}).ok());
}

TEST(ZonePolicyEntries, RefuseUnknownKeysTypesAndNames) {
  auto refused = [](PolicyEntry e, std::string_view field) {
    std::vector<PolicyEntry> entries{std::move(e)};
    return RefusedNaming(ZonePolicyFromEntries(entries), field);
  };
  EXPECT_TRUE(refused({"pool_sizes.sealed", std::int64_t{1}}, "pool_sizes.sealed"));
  EXPECT_TRUE(refused({"lift.sealed.days", std::int64_t{1}}, "lift.sealed.days"));
  EXPECT_TRUE(refused({"lift.sealed", std::int64_t{1}}, "lift.sealed"));
  EXPECT_TRUE(refused({"pool_size.sealed", std::string("1")}, "pool_size.sealed"));
  EXPECT_TRUE(refused({"pool_size.locked", std::int64_t{1}}, "pool_size.locked"));
  EXPECT_TRUE(refused({"positive.unit", std::string("locked")}, "positive.unit"));
  EXPECT_TRUE(refused({"positive.flat", std::string("sealed")}, "positive.flat"));
  EXPECT_TRUE(refused({"positive.room", std::string("sealed")}, "positive.room"));
  EXPECT_TRUE(refused({"lift.sealed.then_days", std::int64_t{1} << 40}, "lift.sealed.then_days"));
  EXPECT_TRUE(refused({"lift.sealed.all_negative_round_on_last_day", std::int64_t{1}},
                      "lift.sealed.all_negative_round_on_last_day"));
  std::vector<PolicyEntry> twice{{"positive.unit", std::string("sealed")},
                                 {"positive.unit", std::string("controlled")}};
  EXPECT_TRUE(RefusedNaming(ZonePolicyFromEntries(twice), "positive.unit"));
}

TEST(ZonePolicyValidate, RefusesBadPolicies) {
  auto with = [](auto change) {
    ZonePolicy p = DefaultZonePolicy();
    change(p);
    return ValidateZonePolicy(p);
  };
  EXPECT_TRUE(RefusedNaming(with([](ZonePolicy& p) { p.pool_size[ZoneLevel::kControlled] = 8; }),
                            "pool_size.controlled"));
  EXPECT_TRUE(RefusedNaming(
      with([](ZonePolicy& p) { p.lift[ZoneLevel::kSealed].days_without_positive = 0; }),
      "lift.sealed.days_without_positive"));
  EXPECT_TRUE(RefusedNaming(
      with([](ZonePolicy& p) { p.lift[ZoneLevel::kSealed].days_without_positive = 366; }),
      "lift.sealed.days_without_positive"));
  EXPECT_TRUE(RefusedNaming(with([](ZonePolicy& p) {
                              p.lift[ZoneLevel::kTemporary] = {1, false, {}, 0};
                            }),
                            "lift.temporary"));
  EXPECT_TRUE(RefusedNaming(
      with([](ZonePolicy& p) { p.lift[ZoneLevel::kSealed].then_level = ZoneLevel::kSealed; }),
      "lift.sealed.then"));
  EXPECT_TRUE(RefusedNaming(
      with([](ZonePolicy& p) { p.lift[ZoneLevel::kSealed].then_level = ZoneLevel::kTemporary; }),
      "lift.sealed.then"));
  EXPECT_TRUE(RefusedNaming(with([](ZonePolicy& p) {
                              p.lift[ZoneLevel::kControlled] = {3, false, ZoneLevel::kSealed, 7};
                            }),
                            "lift.controlled.then"));
  EXPECT_TRUE(RefusedNaming(with([](ZonePolicy& p) { p.lift[ZoneLevel::kSealed].then_days = 0; }),
                            "lift.sealed.then_days"));
  EXPECT_TRUE(
      RefusedNaming(with([](ZonePolicy& p) { p.lift[ZoneLevel::kControlled].then_days = 2; }),
                    "lift.controlled.then_days"));
  EXPECT_TRUE(RefusedNaming(with([](ZonePolicy& p) {
                              p.on_positive.push_back({PlaceKind::kUnit, ZoneLevel::kControlled});
                            }),
                            "positive.unit"));
  EXPECT_TRUE(
      RefusedNaming(with([](ZonePolicy& p) {
                      p.on_pool_positive.push_back({PlaceKind::kStreet, ZoneLevel::kPrevention});
                    }),
                    "pool_positive.street"));
  EXPECT_TRUE(with([](ZonePolicy& p) {
                p.lift[ZoneLevel::kControlled] = {7, true, ZoneLevel::kPrevention, 7};
              }).ok());
}

TEST(ZonePolicyValidate, RetestDueHoursIsOneToAWeekAndDefaultsToADay) {
  EXPECT_EQ(ZonePolicyFromEntries({})->retest_due_hours, 24);
  for (std::int64_t hours : {0, 169}) {
    std::vector<PolicyEntry> entries{{"retest_due_hours", hours}};
    EXPECT_TRUE(RefusedNaming(ZonePolicyFromEntries(entries), "retest_due_hours")) << hours;
  }
  std::vector<PolicyEntry> week{{"retest_due_hours", std::int64_t{168}}};
  EXPECT_EQ(ZonePolicyFromEntries(week)->retest_due_hours, 168);
}

TEST(ZonePolicyValidate, NamesTheRefusedFieldAsAnExtra) {
  std::vector<PolicyEntry> entries{{"lift.sealed.then_days", std::string("3")}};
  auto refused = ZonePolicyFromEntries(entries);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().extras,
            (std::vector<std::pair<std::string, std::string>>{{"field", "lift.sealed.then_days"}}));
}

TEST(HowZoneLifts, SaysTheRuleInPlainWords) {
  ZonePolicy p = DefaultZonePolicy();
  EXPECT_EQ(HowZoneLifts(p, ZoneLevel::kSealed),
            "after 7 days without a new positive and an all-negative round on day 7, then "
            "controlled for 3 days");
  EXPECT_EQ(HowZoneLifts(p, ZoneLevel::kControlled), "after 3 days without a new positive");
  EXPECT_EQ(HowZoneLifts(p, ZoneLevel::kPrevention), "by hand");
  EXPECT_EQ(HowZoneLifts(p, ZoneLevel::kTemporary), "when its incident closes");
  p.lift[ZoneLevel::kControlled] = {1, false, std::nullopt, 0};
  EXPECT_EQ(HowZoneLifts(p, ZoneLevel::kControlled), "after 1 day without a new positive");
}

TEST(ZonePoolSize, TakesTheSmallestSizeAnyZoneOverThePlaceAsks) {
  ZonePolicy p = DefaultZonePolicy();
  auto size = [&](std::vector<ZoneLevel> zones) { return PoolSizeFor(p, zones); };
  EXPECT_EQ(size({}), std::nullopt);
  EXPECT_EQ(size({ZoneLevel::kSealed}), 1);
  EXPECT_EQ(size({ZoneLevel::kControlled}), 10);
  EXPECT_EQ(size({ZoneLevel::kPrevention}), 20);
  EXPECT_EQ(size({ZoneLevel::kPrevention, ZoneLevel::kControlled}), 10);
  EXPECT_EQ(size({ZoneLevel::kTemporary}), std::nullopt);
  EXPECT_EQ(size({ZoneLevel::kTemporary, ZoneLevel::kControlled, ZoneLevel::kSealed}), 1);
}

TEST(ZoneLifting, SealedStepsDownAfterSevenQuietDaysAndAnAllNegativeRoundOnDaySeven) {
  ZoneFacts facts = Sealed();
  facts.rounds.push_back({kT0 + 6 * kDay + 3 * kHour, kT0 + 6 * kDay + 9 * kHour, true});
  ZoneDecision before = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 7 * kDay - 1);
  EXPECT_EQ(before.action, ZoneAction::kKeep);
  EXPECT_EQ(before.reason.code, "counting_days");
  EXPECT_EQ(before.next_check_at, kT0 + 7 * kDay);
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 7 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kStepDown);
  EXPECT_EQ(d.step_down_to, ZoneLevel::kControlled);
  EXPECT_EQ(d.effective_at, kT0 + 7 * kDay);
  EXPECT_EQ(d.reason.code, "stepped_down");
  EXPECT_EQ(d.reason.detail,
            "7 days without a new positive since 2026-12-01T00:00:00Z and an all-negative round: "
            "controlled for 3 days");
}

TEST(ZoneLifting, TheSteppedDownZoneLiftsThreeDaysLater) {
  ZoneFacts facts{ZoneLevel::kControlled, kT0 + 7 * kDay, ZoneLevel::kSealed, std::nullopt, {}};
  EXPECT_EQ(EvaluateZone(DefaultZonePolicy(), facts, kT0 + 10 * kDay - 1).action,
            ZoneAction::kKeep);
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 10 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kLift);
  EXPECT_EQ(d.effective_at, kT0 + 10 * kDay);
  EXPECT_EQ(d.reason.code, "lifted");
}

TEST(ZoneLifting, StepDownLengthComesFromThePolicyNotTheLevel) {
  ZonePolicy p = DefaultZonePolicy();
  p.lift[ZoneLevel::kSealed].then_days = 5;
  ZoneFacts stepped{ZoneLevel::kControlled, kT0, ZoneLevel::kSealed, std::nullopt, {}};
  EXPECT_EQ(EvaluateZone(p, stepped, kT0 + 4 * kDay).action, ZoneAction::kKeep);
  EXPECT_EQ(EvaluateZone(p, stepped, kT0 + 5 * kDay).action, ZoneAction::kLift);
  ZoneFacts direct{ZoneLevel::kControlled, kT0, std::nullopt, std::nullopt, {}};
  EXPECT_EQ(EvaluateZone(p, direct, kT0 + 3 * kDay).action, ZoneAction::kLift);
}

TEST(ZoneLifting, ANewPositiveOnDayFiveRestartsTheCount) {
  ZoneFacts facts = Sealed();
  facts.last_positive_at = kT0 + 4 * kDay + 2 * kHour;
  facts.rounds.push_back({kT0 + 6 * kDay + 3 * kHour, kT0 + 6 * kDay + 9 * kHour, true});
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 7 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kKeep);
  EXPECT_EQ(d.next_check_at, kT0 + 11 * kDay + 2 * kHour);
  // The old day-7 round is day 3 of the new count: it does not serve.
  EXPECT_EQ(EvaluateZone(DefaultZonePolicy(), facts, kT0 + 11 * kDay + 2 * kHour).reason.code,
            "awaiting_round");
  facts.rounds.push_back({kT0 + 10 * kDay + 5 * kHour, kT0 + 10 * kDay + 20 * kHour, true});
  d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 11 * kDay + 2 * kHour);
  EXPECT_EQ(d.action, ZoneAction::kStepDown);
  EXPECT_EQ(d.effective_at, kT0 + 11 * kDay + 2 * kHour);
}

TEST(ZoneLifting, NoAllNegativeRoundOnDaySevenKeepsTheZone) {
  ZoneFacts facts = Sealed();
  const Micros day8 = kT0 + 7 * kDay + 12 * kHour;
  EXPECT_EQ(EvaluateZone(DefaultZonePolicy(), facts, day8).reason.code, "awaiting_round");
  facts.rounds.push_back({kT0 + 5 * kDay + 3 * kHour, kT0 + 5 * kDay + 9 * kHour, true});  // day 6
  facts.rounds.push_back({kT0 + 6 * kDay + 3 * kHour, kT0 + 6 * kDay + 9 * kHour, false});
  facts.rounds.push_back({kT0 + 6 * kDay + 4 * kHour, kT0 + 7 * kDay + 13 * kHour, true});
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, day8);
  EXPECT_EQ(d.action, ZoneAction::kKeep);
  EXPECT_EQ(d.next_check_at, std::nullopt);
  EXPECT_EQ(d.reason.code, "awaiting_round");
  // The last round's results come in on day 8: the step down dates from then.
  d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 8 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kStepDown);
  EXPECT_EQ(d.effective_at, kT0 + 7 * kDay + 13 * kHour);
}

TEST(ZoneLifting, ALateRoundStillEndsTheZone) {
  ZoneFacts facts = Sealed();
  facts.rounds.push_back({kT0 + 8 * kDay + 3 * kHour, kT0 + 8 * kDay + 9 * kHour, true});  // day 9
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 9 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kStepDown);
  EXPECT_EQ(d.effective_at, kT0 + 8 * kDay + 9 * kHour);
}

TEST(ZoneLifting, IgnoresAPositiveTheClockHasNotReached) {
  ZoneFacts facts = Sealed();
  facts.last_positive_at = kT0 + 7 * kDay + kHour;
  facts.rounds.push_back({kT0 + 6 * kDay + 3 * kHour, kT0 + 6 * kDay + 9 * kHour, true});
  EXPECT_EQ(EvaluateZone(DefaultZonePolicy(), facts, kT0 + 7 * kDay).action, ZoneAction::kStepDown);
  EXPECT_EQ(EvaluateZone(DefaultZonePolicy(), facts, kT0 + 7 * kDay + kHour).action,
            ZoneAction::kKeep);
}

TEST(ZoneLifting, TemporaryZonesWaitForTheirIncident) {
  ZoneFacts facts{ZoneLevel::kTemporary, kT0, std::nullopt, std::nullopt, {}};
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 365 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kKeep);
  EXPECT_EQ(d.reason.code, "lifts_with_incident");
}

TEST(ZoneLifting, ALevelWithoutARuleIsLiftedByHand) {
  ZoneFacts facts{ZoneLevel::kPrevention, kT0, std::nullopt, std::nullopt, {}};
  ZoneDecision d = EvaluateZone(DefaultZonePolicy(), facts, kT0 + 365 * kDay);
  EXPECT_EQ(d.action, ZoneAction::kKeep);
  EXPECT_EQ(d.reason.code, "lift_by_hand");
}

}  // namespace
}  // namespace swabline::core
