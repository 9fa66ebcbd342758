#include "core/live_event.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(PlaceIdsOf, ReadsTheIdsRootFirstAndZeroesTheRest) {
  EXPECT_EQ(PlaceIdsOf("/1/52/7/"), (PlaceIds{1, 52, 7, 0, 0, 0}));
  EXPECT_EQ(PlaceIdsOf("/"), (PlaceIds{}));
  EXPECT_EQ(PlaceIdsOf(""), (PlaceIds{}));
  EXPECT_EQ(PlaceIdsOf("/1/2/3/4/5/6/7/"), (PlaceIds{1, 2, 3, 4, 5, 6}));
}

TEST(LiveEvent, IsVisibleOnlyToUsersWhosePlaceIsOnItsPath) {
  LiveEvent e;
  e.place = PlaceIdsOf("/1/5/23/40/");
  EXPECT_TRUE(e.VisibleTo(std::nullopt));
  EXPECT_TRUE(e.VisibleTo(23));
  EXPECT_TRUE(e.VisibleTo(40));
  EXPECT_FALSE(e.VisibleTo(24));
  EXPECT_EQ(e.PlaceId(), 40);
  EXPECT_EQ(e.CommunityId(), 23);
}

TEST(LiveEvent, WithoutAPlaceIsVisibleOnlyToUnscopedUsers) {
  LiveEvent e;
  EXPECT_TRUE(e.VisibleTo(std::nullopt));
  EXPECT_FALSE(e.VisibleTo(1));
  EXPECT_EQ(e.CommunityId(), std::nullopt);
}

TEST(LiveEventName, NamesEveryKind) {
  EXPECT_EQ(LiveEventName(LiveEventKind::kSamples), "samples");
  EXPECT_EQ(LiveEventName(LiveEventKind::kRequestClosed), "request_closed");
  EXPECT_TRUE(LiveEventAddsUp(LiveEventKind::kResults));
  EXPECT_FALSE(LiveEventAddsUp(LiveEventKind::kZoneStarted));
}

}  // namespace
}  // namespace swabline::core
