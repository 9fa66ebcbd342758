#include "core/tube.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace swabline::core {
namespace {

/// The code a refused check carries; nullopt when the check passed.
std::optional<ErrorCode> CodeOf(const Status& s) {
  if (s.ok()) return std::nullopt;
  return s.error().code;
}

constexpr TubeStatus kAllStatuses[] = {TubeStatus::kOpen,     TubeStatus::kSealed,
                                       TubeStatus::kInBox,    TubeStatus::kInTransit,
                                       TubeStatus::kReceived, TubeStatus::kResulted};

TEST(TubeNames, RoundTripEveryValueAndRefuseUnknownNames) {
  for (TubeStatus s : kAllStatuses) EXPECT_EQ(ParseTubeStatus(TubeStatusName(s)), s);
  for (TubeResult r : {TubeResult::kNegative, TubeResult::kPositive, TubeResult::kInvalid})
    EXPECT_EQ(ParseTubeResult(TubeResultName(r)), r);
  for (TubePurpose p : {TubePurpose::kScreening, TubePurpose::kRetest})
    EXPECT_EQ(ParseTubePurpose(TubePurposeName(p)), p);
  EXPECT_FALSE(ParseTubeStatus("lost").has_value());
  EXPECT_FALSE(ParseTubeResult("Positive").has_value());
  EXPECT_FALSE(ParseTubePurpose("").has_value());
}

TEST(CheckBarcode, AcceptsSixToThirtyTwoLettersDigitsAndDashes) {
  struct Row {
    std::string barcode;
    bool ok;
  };
  const std::vector<Row> rows = {
      {"ABC123", true},
      {"abc-12", true},
      {std::string(32, 'Z'), true},
      {"ABC12", false},               // too short
      {std::string(33, 'Z'), false},  // too long
      {"ABC 123", false},             // a space
      {"ABC_123", false},             // not '-'
      {"ABC123\n", false},            // the scanner's Enter
      {"管123456", false},            // not ASCII
      {"", false},
  };
  for (const auto& row : rows) {
    const auto code = CodeOf(CheckBarcode(row.barcode));
    if (row.ok)
      EXPECT_EQ(code, std::nullopt) << row.barcode;
    else
      EXPECT_EQ(code, ErrorCode::kInvalidBarcode) << row.barcode;
  }
}

TEST(CheckPoolSize, TakesOnlyOneFiveTenOrTwenty) {
  for (int n = -1; n <= 25; ++n) {
    const bool allowed = n == 1 || n == 5 || n == 10 || n == 20;
    EXPECT_EQ(CodeOf(CheckPoolSize(n)),
              allowed ? std::nullopt : std::optional(ErrorCode::kInvalidPoolSize))
        << n;
  }
}

TEST(CheckTubeCapacity, TakesOneToTwentyAndNamesTheField) {
  for (int n = -1; n <= 22; ++n) {
    const Status s = CheckTubeCapacity(n);
    if (n >= 1 && n <= kMaxTubeCapacity) {
      EXPECT_TRUE(s.ok()) << n;
      continue;
    }
    ASSERT_FALSE(s.ok()) << n;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidField) << n;
    const auto& extras = s.error().extras;
    EXPECT_EQ(extras, (std::vector<std::pair<std::string, std::string>>{{"field", "capacity"}}));
  }
}

TEST(CheckTubeTakesSample, FullIsJudgedBeforeSealed) {
  struct Row {
    TubeFill tube;
    std::optional<ErrorCode> expected;
  };
  const std::vector<Row> rows = {
      {{TubeStatus::kOpen, 0, 10}, std::nullopt},
      {{TubeStatus::kOpen, 9, 10}, std::nullopt},
      {{TubeStatus::kOpen, 0, 1}, std::nullopt},
      // Full, however it came to be: an open tube at capacity, or one that sealed itself.
      {{TubeStatus::kOpen, 10, 10}, ErrorCode::kTubeFull},
      {{TubeStatus::kSealed, 10, 10}, ErrorCode::kTubeFull},
      {{TubeStatus::kResulted, 1, 1}, ErrorCode::kTubeFull},
      // Sealed early, or gone further down the line, with room left.
      {{TubeStatus::kSealed, 3, 10}, ErrorCode::kTubeSealed},
      {{TubeStatus::kInBox, 3, 10}, ErrorCode::kTubeSealed},
      {{TubeStatus::kInTransit, 3, 10}, ErrorCode::kTubeSealed},
      {{TubeStatus::kReceived, 3, 10}, ErrorCode::kTubeSealed},
      {{TubeStatus::kResulted, 3, 10}, ErrorCode::kTubeSealed},
  };
  for (const auto& row : rows)
    EXPECT_EQ(CodeOf(CheckTubeTakesSample(row.tube)), row.expected)
        << TubeStatusName(row.tube.status) << " " << row.tube.count << "/" << row.tube.capacity;
}

TEST(SealsItself, WhenTheSampleFillsTheTube) {
  EXPECT_FALSE(SealsItself(9, 10));
  EXPECT_TRUE(SealsItself(10, 10));
  EXPECT_TRUE(SealsItself(1, 1));
}

TEST(CheckVoidAllowed, UntilTheTubeIsBoxed) {
  for (TubeStatus s : kAllStatuses) {
    const bool allowed = s == TubeStatus::kOpen || s == TubeStatus::kSealed;
    EXPECT_EQ(CodeOf(CheckVoidAllowed(s)),
              allowed ? std::nullopt : std::optional(ErrorCode::kTubeBoxed))
        << TubeStatusName(s);
  }
}

TEST(CheckSealAllowed, RefusesOnlyAnEmptyOpenTube) {
  struct Row {
    TubeFill tube;
    std::optional<ErrorCode> expected;
  };
  const std::vector<Row> rows = {
      {{TubeStatus::kOpen, 0, 10}, ErrorCode::kTubeEmpty},
      {{TubeStatus::kOpen, 1, 10}, std::nullopt},
      {{TubeStatus::kSealed, 4, 10}, std::nullopt},  // sealing twice is a no-op
      {{TubeStatus::kInBox, 4, 10}, std::nullopt},
  };
  for (const auto& row : rows)
    EXPECT_EQ(CodeOf(CheckSealAllowed(row.tube)), row.expected)
        << TubeStatusName(row.tube.status) << " " << row.tube.count;
}

TEST(DecideResult, RecordsKeepsOrCorrectsAndRefusesOpenTubesFirst) {
  using R = TubeResult;
  struct Row {
    TubeStatus status;
    std::optional<R> current;
    R incoming;
    bool reason;
    std::optional<ResultChange> change;  // when it succeeds
    std::optional<ErrorCode> error;      // when it is refused
  };
  const std::vector<Row> rows = {
      {TubeStatus::kReceived, std::nullopt, R::kNegative, false, ResultChange::kRecord, {}},
      // Of the statuses, only open is refused here.
      {TubeStatus::kSealed, std::nullopt, R::kPositive, false, ResultChange::kRecord, {}},
      {TubeStatus::kResulted, R::kNegative, R::kNegative, false, ResultChange::kUnchanged, {}},
      {TubeStatus::kResulted, R::kNegative, R::kNegative, true, ResultChange::kUnchanged, {}},
      {TubeStatus::kResulted, R::kNegative, R::kPositive, false, {}, ErrorCode::kConflictingResult},
      {TubeStatus::kResulted, R::kPositive, R::kInvalid, true, ResultChange::kCorrect, {}},
      // An open tube is refused whatever else is true of the upload.
      {TubeStatus::kOpen, std::nullopt, R::kNegative, false, {}, ErrorCode::kTubeNotSealed},
      {TubeStatus::kOpen, R::kNegative, R::kPositive, true, {}, ErrorCode::kTubeNotSealed},
  };
  for (const auto& row : rows) {
    const auto got = DecideResult(row.status, row.current, row.incoming, row.reason);
    SCOPED_TRACE(std::string(TubeStatusName(row.status)) + " " +
                 std::string(row.current ? TubeResultName(*row.current) : "none") + " <- " +
                 std::string(TubeResultName(row.incoming)) + (row.reason ? " with reason" : ""));
    if (row.change) {
      ASSERT_TRUE(got.ok()) << got.error().detail;
      EXPECT_EQ(*got, *row.change);
    } else {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.error().code, row.error);
    }
  }
}

}  // namespace
}  // namespace swabline::core
