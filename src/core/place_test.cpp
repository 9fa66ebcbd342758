#include "core/place.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(IdsAlong, ListsTheIdsOfAnIdPathRootFirst) {
  EXPECT_EQ(IdsAlong("/1/5/23/"), (std::vector<std::int64_t>{1, 5, 23}));
  EXPECT_EQ(IdsAlong("/"), (std::vector<std::int64_t>{}));
}

TEST(SplitPlacePath, TrimsEachLevel) {
  auto parts = SplitPlacePath(" 朝阳区 / 和平街街道/小黄庄社区 ");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, (std::vector<std::string>{"朝阳区", "和平街街道", "小黄庄社区"}));
}

TEST(SplitPlacePath, RefusesEmptyLevelsAndMoreThanSixLevels) {
  EXPECT_EQ(SplitPlacePath("a//b").error().code, ErrorCode::kInvalidPlacePath);
  EXPECT_EQ(SplitPlacePath("").error().code, ErrorCode::kInvalidPlacePath);
  EXPECT_EQ(SplitPlacePath("a/b/c/d/e/f/g").error().code, ErrorCode::kInvalidPlacePath);
}

TEST(InSubtree, HoldsForThePlaceItselfAndItsDescendantsOnly) {
  EXPECT_TRUE(InSubtree("/1/5/", "/1/5/"));
  EXPECT_TRUE(InSubtree("/1/5/23/", "/1/5/"));
  EXPECT_FALSE(InSubtree("/1/50/", "/1/5/"));
}

}  // namespace
}  // namespace swabline::core
