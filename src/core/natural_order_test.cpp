#include "core/natural_order.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(NaturalLess, OrdersBuildingNumbersByValue) {
  EXPECT_TRUE(NaturalLess("2号楼", "10号楼"));
  EXPECT_FALSE(NaturalLess("10号楼", "2号楼"));
}

TEST(NaturalLess, OrdersRoomsWithinAUnit) {
  EXPECT_TRUE(NaturalLess("1号楼/1单元/101", "1号楼/1单元/102"));
  EXPECT_TRUE(NaturalLess("1号楼/2单元/101", "1号楼/10单元/101"));
}

TEST(NaturalLess, IsIrreflexiveAndTreatsPrefixAsSmaller) {
  EXPECT_FALSE(NaturalLess("abc", "abc"));
  EXPECT_TRUE(NaturalLess("ab", "abc"));
  EXPECT_TRUE(NaturalLess("a9", "a10"));
}

}  // namespace
}  // namespace swabline::core
