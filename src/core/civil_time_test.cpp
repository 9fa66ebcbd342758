#include "core/civil_time.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(FormatRfc3339, WritesSecondsAndOnlyNonZeroFractions) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1'795'920'236'000'000), "2026-11-29T02:43:56Z");
  EXPECT_EQ(FormatRfc3339(1'795'920'236'000'042), "2026-11-29T02:43:56.000042Z");
  EXPECT_EQ(FormatRfc3339(951'782'400'500'000), "2000-02-29T00:00:00.500000Z");
}

TEST(FormatRfc3339, HandlesInstantsBeforeTheEpoch) {
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(-86'400'000'000), "1969-12-31T00:00:00Z");
}

TEST(FormatRfc3339, RoundTripsThroughTheParser) {
  for (Micros t : {Micros{0}, Micros{1'795'920'236'123'456}, Micros{-2'208'988'800'000'000},
                   Micros{253'402'300'799'000'000}}) {
    auto back = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(back.has_value()) << FormatRfc3339(t);
    EXPECT_EQ(*back, t);
  }
}

}  // namespace
}  // namespace swabline::core
