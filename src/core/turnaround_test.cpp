#include "core/turnaround.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(Quantile, IsEmptyForNoValues) {
  std::vector<double> v;
  EXPECT_FALSE(Quantile(v, 0.5).has_value());
}

TEST(Quantile, TakesTheNearestRankMedianAndP95) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_DOUBLE_EQ(*Quantile(v, 0.5), 50);
  EXPECT_DOUBLE_EQ(*Quantile(v, 0.95), 95);
  EXPECT_DOUBLE_EQ(*Quantile(v, 1.0), 100);
}

TEST(Quantile, OfOneValueIsThatValue) {
  std::vector<double> v{7.5};
  EXPECT_DOUBLE_EQ(*Quantile(v, 0.95), 7.5);
}

}  // namespace
}  // namespace swabline::core
