#include "core/tube_batch.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(ExpandBarcodeRange, PadsEachNumberToTheWidth) {
  auto codes = ExpandBarcodeRange({"CY01-", 1, 3, 5});
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(*codes, (std::vector<std::string>{"CY01-00001", "CY01-00002", "CY01-00003"}));
}

TEST(ExpandBarcodeRange, RefusesAReversedOrHugeRange) {
  auto reversed = ExpandBarcodeRange({"CY01-", 5, 4, 5});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().code, ErrorCode::kInvalidField);
  EXPECT_FALSE(ExpandBarcodeRange({"CY01-", 0, kMaxBatchBarcodes, 6}).ok());
}

TEST(ExpandBarcodeRange, RefusesBarcodesThePatternRefuses) {
  auto bad = ExpandBarcodeRange({"CY 01/", 1, 2, 3});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidBarcode);
  auto too_short = ExpandBarcodeRange({"A", 1, 2, 0});
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.error().code, ErrorCode::kInvalidBarcode);
}

TEST(CheckBatchBarcodes, RefusesEmptyInvalidAndRepeatedLists) {
  EXPECT_TRUE(CheckBatchBarcodes({"TB-000001", "TB-000002"}).ok());
  EXPECT_EQ(CheckBatchBarcodes({}).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(CheckBatchBarcodes({"TB-000001", "bad code"}).error().code, ErrorCode::kInvalidBarcode);
  EXPECT_EQ(CheckBatchBarcodes({"TB-000001", "TB-000001"}).error().code, ErrorCode::kInvalidField);
}

TEST(LevelOf, IsLowAtAndBelowItsThresholdOnly) {
  EXPECT_FALSE(LevelOf(100, 89, 10).low);
  EXPECT_TRUE(LevelOf(100, 90, 10).low);
  EXPECT_EQ(LevelOf(100, 120, 10).left, 0);
  EXPECT_FALSE(LevelOf(5, 5, 0).low);  // no threshold, no alert
}

TEST(KitsUsed, CountsAStartedKit) {
  EXPECT_EQ(KitsUsed(0, 50), 0);
  EXPECT_EQ(KitsUsed(1, 50), 1);
  EXPECT_EQ(KitsUsed(50, 50), 1);
  EXPECT_EQ(KitsUsed(51, 50), 2);
  EXPECT_EQ(KitsUsed(7, 0), 7);
}

}  // namespace
}  // namespace swabline::core
