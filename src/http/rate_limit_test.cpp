#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

#include <string>

namespace swabline::http {
namespace {

constexpr core::Micros kSecond = 1'000'000;

TEST(RateLimiter, GivesABurstThenRefusesUntilTokensComeBack) {
  RateLimiter limiter({6, 3});  // 6 a minute: one every 10 s, 3 at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", 0)) << i;
  EXPECT_FALSE(limiter.Take("a", 0));
  EXPECT_EQ(limiter.RetryAfterSeconds("a", 0), 10);
  EXPECT_TRUE(limiter.Take("b", 0)) << "another key has its own bucket";
  EXPECT_FALSE(limiter.Take("a", 9 * kSecond));
  EXPECT_TRUE(limiter.Take("a", 11 * kSecond));
  EXPECT_FALSE(limiter.Has("a", 11 * kSecond));
}

TEST(RateLimiter, HasLeavesTheTokenAndForgiveRefills) {
  RateLimiter limiter({5, 2});
  EXPECT_TRUE(limiter.Has("k", 0));
  EXPECT_TRUE(limiter.Take("k", 0));
  EXPECT_TRUE(limiter.Take("k", 0));
  EXPECT_FALSE(limiter.Has("k", 0));
  limiter.Forgive("k");
  EXPECT_TRUE(limiter.Has("k", 0));
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  RateLimiter limiter({0, 0});
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(limiter.Take("a", 0));
}

TEST(RateLimiter, KeepsAtMostMaxKeysDroppingTheLeastRecentlyUsed) {
  RateLimiter limiter({1, 1, 3});
  for (const char* k : {"a", "b", "c"}) EXPECT_TRUE(limiter.Take(k, 0));
  EXPECT_FALSE(limiter.Take("a", 0));  // "a" is now the most recently used
  EXPECT_TRUE(limiter.Take("d", 0));   // drops "b", the least recently used
  EXPECT_TRUE(limiter.Take("b", 0)) << "a dropped key comes back full";
  EXPECT_FALSE(limiter.Take("a", 0)) << "a recently used key is kept";
  // A flood of new keys costs bounded memory and still limits each of them.
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Take("flood" + std::to_string(i), 0));
  EXPECT_FALSE(limiter.Take("flood999", 0));
}

}  // namespace
}  // namespace swabline::http
