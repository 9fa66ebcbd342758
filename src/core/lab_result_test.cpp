#include "core/lab_result.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

ErrorCode CodeOf(const Result<ResultDecision>& r) {
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST(DecideUploadedResult, RecordsAFirstResult) {
  auto d = DecideUploadedResult(TubeStatus::kReceived, std::nullopt, "positive", false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ResultChange::kRecord);
  EXPECT_EQ(d->result, TubeResult::kPositive);
}

TEST(DecideUploadedResult, AcceptsAResultForATubeInAnyStatePastOpen) {
  for (TubeStatus s :
       {TubeStatus::kSealed, TubeStatus::kInBox, TubeStatus::kInTransit, TubeStatus::kReceived})
    EXPECT_TRUE(DecideUploadedResult(s, std::nullopt, "negative", false).ok()) << TubeStatusName(s);
}

TEST(DecideUploadedResult, RefusesAnOpenTubeBeforeLookingAtTheResult) {
  EXPECT_EQ(CodeOf(DecideUploadedResult(TubeStatus::kOpen, std::nullopt, "maybe", false)),
            ErrorCode::kTubeNotSealed);
}

TEST(DecideUploadedResult, RefusesAnythingButTheThreeResults) {
  for (std::string_view r : {"", "Negative", "pos", "inconclusive", " negative"})
    EXPECT_EQ(CodeOf(DecideUploadedResult(TubeStatus::kReceived, std::nullopt, r, false)),
              ErrorCode::kInvalidResult)
        << r;
}

TEST(DecideUploadedResult, LeavesTheSameResultUnchanged) {
  auto d = DecideUploadedResult(TubeStatus::kResulted, TubeResult::kNegative, "negative", false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ResultChange::kUnchanged);
}

TEST(DecideUploadedResult, NeedsAReasonToCorrect) {
  EXPECT_EQ(
      CodeOf(DecideUploadedResult(TubeStatus::kResulted, TubeResult::kNegative, "positive", false)),
      ErrorCode::kConflictingResult);
  auto d = DecideUploadedResult(TubeStatus::kResulted, TubeResult::kNegative, "positive", true);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->change, ResultChange::kCorrect);
}

TEST(ParseCtValue, ReadsDecimalNumbers) {
  EXPECT_DOUBLE_EQ(*ParseCtValue("31.27"), 31.27);
  EXPECT_DOUBLE_EQ(*ParseCtValue("40"), 40);
  EXPECT_DOUBLE_EQ(*ParseCtValue("0"), 0);
}

TEST(ParseCtValue, RefusesTextAndImplausibleNumbers) {
  for (std::string_view t : {"", "abc", "31.2x", "-1", "100.5", "nan", "inf", "1e2"})
    EXPECT_FALSE(ParseCtValue(t).has_value()) << t;
}

}  // namespace
}  // namespace swabline::core
