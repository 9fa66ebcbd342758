#include "bench/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace swabline::bench {
namespace {

TEST(Histogram, IsExactBelowOneHundredTwentyEightMicroseconds) {
  for (std::uint64_t v = 0; v < 128; ++v) {
    EXPECT_EQ(Histogram::BucketOf(v), v);
    EXPECT_EQ(Histogram::BucketLow(v), v);
    EXPECT_EQ(Histogram::BucketHigh(v), v);
  }
}

TEST(Histogram, BucketsTileTheRangeWithoutGapsOrOverlap) {
  for (std::size_t b = 1; b + 1 < Histogram::kBuckets; ++b) {
    ASSERT_EQ(Histogram::BucketHigh(b - 1) + 1, Histogram::BucketLow(b)) << "bucket " << b;
    ASSERT_EQ(Histogram::BucketOf(Histogram::BucketLow(b)), b);
    ASSERT_EQ(Histogram::BucketOf(Histogram::BucketHigh(b)), b);
  }
}

TEST(Histogram, KeepsEveryBucketWithinOnePercent) {
  for (std::size_t b = 128; b < Histogram::kBuckets; ++b) {
    const auto low = static_cast<double>(Histogram::BucketLow(b));
    const double width = static_cast<double>(Histogram::BucketHigh(b)) - low + 1;
    ASSERT_LT(width / low, 0.01) << "bucket " << b;
  }
}

TEST(Histogram, ClampsHugeValuesIntoTheTopBucket) {
  Histogram h;
  h.Record(UINT64_MAX);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(Histogram::BucketOf(UINT64_MAX), Histogram::kBuckets - 1);
  EXPECT_EQ(h.max(), UINT64_MAX);
}

TEST(Histogram, ReportsPercentilesOfAUniformRunWithinOnePercent) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100'000; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100'000u);
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const double want = p / 100.0 * 100'000;
    EXPECT_NEAR(static_cast<double>(h.Percentile(p)), want, want * 0.01) << "p" << p;
  }
  EXPECT_EQ(h.Percentile(100), 100'000u);
  EXPECT_NEAR(h.Mean(), 50'000.5, 1e-6);
}

TEST(Histogram, MatchesSortedPercentilesOfARandomSample) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(7.0, 1.2);  // around a millisecond, long tail
  std::vector<std::uint64_t> values;
  Histogram h;
  for (int i = 0; i < 50'000; ++i) {
    auto v = static_cast<std::uint64_t>(dist(rng)) + 1;
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    const auto want = static_cast<double>(values[rank - 1]);
    EXPECT_NEAR(static_cast<double>(h.Percentile(p)), want, want * 0.01 + 1) << "p" << p;
  }
}

TEST(Histogram, MergesByAddingCounts) {
  Histogram a;
  Histogram b;
  for (std::uint64_t v = 1; v <= 1000; ++v) a.Record(v);
  for (std::uint64_t v = 1001; v <= 2000; ++v) b.Record(v);
  a.Merge(b);
  EXPECT_EQ(a.count(), 2000u);
  EXPECT_EQ(a.min(), 1u);
  EXPECT_EQ(a.max(), 2000u);
  EXPECT_NEAR(static_cast<double>(a.Percentile(50)), 1000, 10);
  EXPECT_NEAR(static_cast<double>(a.Percentile(99)), 1980, 20);
}

TEST(Histogram, ReportsZerosWhenEmpty) {
  Histogram h;
  EXPECT_EQ(h.Percentile(99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.Mean(), 0);
  Histogram other;
  other.Record(5);
  h.Merge(other);
  EXPECT_EQ(h.min(), 5u);
  h.Reset();
  EXPECT_EQ(h.count(), 0u);
}

TEST(FormatMicros, PicksAReadableUnit) {
  EXPECT_EQ(FormatMicros(850), "850 µs");
  EXPECT_EQ(FormatMicros(1234), "1.23 ms");
  EXPECT_EQ(FormatMicros(2'500'000), "2.50 s");
}

}  // namespace
}  // namespace swabline::bench
