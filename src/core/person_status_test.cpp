#include "core/person_status.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace swabline::core {
namespace {

using R = TubeResult;

SampleFact Screening(std::optional<R> result, int capacity = 10) {
  return {result, capacity, TubePurpose::kScreening};
}
SampleFact Retest(std::optional<R> result, int capacity = 1) {
  return {result, capacity, TubePurpose::kRetest};
}

std::vector<std::string> CodesOf(const PersonStatus& s) {
  std::vector<std::string> codes;
  for (const auto& r : s.reasons) codes.push_back(r.code);
  return codes;
}

TEST(PersonStatusNames, RoundTripZonesAndNameEveryStateAndColor) {
  for (ZoneLevel z :
       {ZoneLevel::kTemporary, ZoneLevel::kSealed, ZoneLevel::kControlled, ZoneLevel::kPrevention})
    EXPECT_EQ(ParseZoneLevel(ZoneLevelName(z)), z);
  EXPECT_FALSE(ParseZoneLevel("lockdown").has_value());
  EXPECT_EQ(PersonStateName(PersonState::kResampleRequired), "resample_required");
  EXPECT_EQ(PersonStateName(PersonState::kPoolPositive), "pool_positive");
  EXPECT_EQ(ColorName(Color::kYellow), "yellow");
}

TEST(StateOf, FollowsTheLatestSampleAndItsTube) {
  struct Row {
    const char* what;
    std::optional<SampleFact> latest;
    PersonState expected;
  };
  const std::vector<Row> rows = {
      {"never sampled", std::nullopt, PersonState::kNotSampled},
      {"sampled, no result yet", Screening(std::nullopt), PersonState::kPending},
      {"negative pool", Screening(R::kNegative), PersonState::kNegative},
      {"invalid pool", Screening(R::kInvalid), PersonState::kResampleRequired},
      {"positive pool of ten", Screening(R::kPositive), PersonState::kPoolPositive},
      {"positive single tube", Screening(R::kPositive, 1), PersonState::kPositive},
      {"positive retest", Retest(R::kPositive), PersonState::kPositive},
      // A retest tube that happens to hold several people still confirms each of them.
      {"positive pooled retest", Retest(R::kPositive, 5), PersonState::kPositive},
      {"negative retest", Retest(R::kNegative), PersonState::kNegative},
      {"pending retest", Retest(std::nullopt), PersonState::kPending},
  };
  for (const auto& row : rows) EXPECT_EQ(StateOf(row.latest), row.expected) << row.what;
}

TEST(DeriveStatus, TakesTheWorstColourAndGivesEveryReasonInOrder) {
  using Z = ZoneLevel;
  struct Row {
    const char* what;
    StatusInputs in;
    PersonState state;
    Color color;
    std::vector<std::string> reasons;
  };
  const std::vector<Row> rows = {
      {"nothing known", {}, PersonState::kNotSampled, Color::kGreen, {}},
      {"pending", {Screening(std::nullopt), {}, false}, PersonState::kPending, Color::kGreen, {}},
      {"negative", {Screening(R::kNegative), {}, false}, PersonState::kNegative, Color::kGreen, {}},
      {"positive",
       {Screening(R::kPositive, 1), {}, false},
       PersonState::kPositive,
       Color::kRed,
       {"positive"}},
      {"pool positive",
       {Screening(R::kPositive), {}, false},
       PersonState::kPoolPositive,
       Color::kYellow,
       {"pool_positive"}},
      {"invalid",
       {Screening(R::kInvalid), {}, false},
       PersonState::kResampleRequired,
       Color::kYellow,
       {"resample_required"}},
      {"negative in a sealed zone",
       {Screening(R::kNegative), {Z::kSealed}, false},
       PersonState::kNegative,
       Color::kRed,
       {"zone_sealed"}},
      {"negative in a controlled zone",
       {Screening(R::kNegative), {Z::kControlled}, false},
       PersonState::kNegative,
       Color::kYellow,
       {"zone_controlled"}},
      {"temporary control",
       {std::nullopt, {Z::kTemporary}, false},
       PersonState::kNotSampled,
       Color::kYellow,
       {"zone_temporary"}},
      {"a prevention zone changes nothing",
       {Screening(R::kNegative), {Z::kPrevention}, false},
       PersonState::kNegative,
       Color::kGreen,
       {}},
      // A missed round is a pop-up, not a colour.
      {"missed the last round",
       {std::nullopt, {}, true},
       PersonState::kNotSampled,
       Color::kGreen,
       {"missed_round"}},
      // Red wins over yellow whichever comes first; every reason is kept.
      {"pool positive in a sealed zone",
       {Screening(R::kPositive), {Z::kSealed}, false},
       PersonState::kPoolPositive,
       Color::kRed,
       {"pool_positive", "zone_sealed"}},
      {"positive in a controlled zone",
       {Screening(R::kPositive, 1), {Z::kControlled}, false},
       PersonState::kPositive,
       Color::kRed,
       {"positive", "zone_controlled"}},
      {"every zone at once, having missed a round",
       {Screening(R::kInvalid), {Z::kTemporary, Z::kPrevention, Z::kControlled, Z::kSealed}, true},
       PersonState::kResampleRequired,
       Color::kRed,
       {"resample_required", "zone_temporary", "zone_controlled", "zone_sealed", "missed_round"}},
  };
  for (const auto& row : rows) {
    const PersonStatus got = DeriveStatus(row.in);
    EXPECT_EQ(got.state, row.state) << row.what;
    EXPECT_EQ(got.color, row.color) << row.what << ": " << ColorName(got.color);
    EXPECT_EQ(CodesOf(got), row.reasons) << row.what;
  }
}

TEST(DeriveStatus, EveryReasonTellsThePersonWhatToDo) {
  StatusInputs in{Screening(R::kPositive),
                  {ZoneLevel::kTemporary, ZoneLevel::kControlled, ZoneLevel::kSealed},
                  true};
  for (const auto& reason : DeriveStatus(in).reasons)
    EXPECT_FALSE(reason.detail.empty()) << reason.code;
}

TEST(DeriveStatus, ZoneReasonsSayHowTheZoneLiftsInTheGivenWords) {
  StatusInputs in;
  in.zones = {ZoneLevel::kSealed, ZoneLevel::kControlled};
  const auto reasons =
      DeriveStatus(in, {{ZoneLevel::kSealed, "after 14 days without a new positive"}}).reasons;
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].detail,
            "you live in a sealed zone: stay at home; it is lifted after 14 days without a new "
            "positive");
  EXPECT_EQ(reasons[1].detail,
            "you live in a controlled zone: do not leave the compound; it is lifted when it is "
            "lifted");
}

}  // namespace
}  // namespace swabline::core
