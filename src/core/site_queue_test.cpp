#include "core/site_queue.hpp"

#include <gtest/gtest.h>

#include "core/time_zone.hpp"

namespace swabline::core {
namespace {

TEST(ParseClock, ReadsHoursAndMinutes) {
  EXPECT_EQ(ParseClock("07:30", false), 450);
  EXPECT_EQ(ParseClock("00:00", false), 0);
  EXPECT_EQ(ParseClock("23:59", false), 1439);
  EXPECT_EQ(ParseClock("24:00", true), 1440);
}

TEST(ParseClock, RefusesAnythingElse) {
  for (const char* bad : {"7:30", "07:60", "24:00", "25:00", "07-30", "0730", "07:3a", " 7:30", ""})
    EXPECT_FALSE(ParseClock(bad, false)) << bad;
  EXPECT_FALSE(ParseClock("24:01", true));
}

TEST(FormatClock, WritesTwoDigits) {
  EXPECT_EQ(FormatClock(450), "07:30");
  EXPECT_EQ(FormatClock(1440), "24:00");
  EXPECT_EQ(FormatClock(0), "00:00");
}

TEST(ParseHours, SortsSeveralSpansADay) {
  auto hours = ParseHours({{"18:00", "21:00"}, {"07:00", "11:00"}, {"14:00", "16:30"}});
  ASSERT_TRUE(hours);
  EXPECT_EQ(*hours, (std::vector<HoursSpan>{{420, 660}, {840, 990}, {1080, 1260}}));
}

TEST(ParseHours, AcceptsSpansThatTouch) {
  EXPECT_TRUE(ParseHours({{"07:00", "11:00"}, {"11:00", "12:00"}}));
  EXPECT_TRUE(ParseHours({{"20:00", "24:00"}}));
}

TEST(ParseHours, RefusesAMalformedTimeNamingTheSpan) {
  auto hours = ParseHours({{"07:00", "11:00"}, {"7pm", "22:00"}});
  ASSERT_FALSE(hours);
  EXPECT_EQ(hours.error().code, ErrorCode::kInvalidHours);
  EXPECT_EQ(hours.error().extras[1], (std::pair<std::string, std::string>{"index", "1"}));
  EXPECT_EQ(hours.error().extras[2], (std::pair<std::string, std::string>{"reason", "format"}));
}

TEST(ParseHours, RefusesASpanThatEndsBeforeItStarts) {
  for (auto span :
       {HoursText{"11:00", "07:00"}, HoursText{"09:00", "09:00"}, HoursText{"22:00", "02:00"}}) {
    auto hours = ParseHours({span});
    ASSERT_FALSE(hours) << span.from;
    EXPECT_EQ(hours.error().extras[2].second, "order");
  }
}

TEST(ParseHours, RefusesOverlappingSpans) {
  auto hours = ParseHours({{"07:00", "11:00"}, {"18:00", "21:00"}, {"10:30", "12:00"}});
  ASSERT_FALSE(hours);
  EXPECT_EQ(hours.error().code, ErrorCode::kInvalidHours);
  EXPECT_EQ(hours.error().extras[1].second, "2");
  EXPECT_EQ(hours.error().extras[2].second, "overlap");
}

TEST(IsOpenAt, ToIsExclusiveAndNoHoursIsAlwaysOpen) {
  const std::vector<HoursSpan> hours = {{420, 660}, {1080, 1260}};
  EXPECT_FALSE(IsOpenAt(hours, 419));
  EXPECT_TRUE(IsOpenAt(hours, 420));
  EXPECT_TRUE(IsOpenAt(hours, 659));
  EXPECT_FALSE(IsOpenAt(hours, 660));
  EXPECT_TRUE(IsOpenAt(hours, 1200));  // the evening hours
  EXPECT_TRUE(IsOpenAt({}, 3));
}

TEST(LocalMinuteOfDay, AddsTheZonesOffset) {
  const Micros utc_2330 = (23LL * 60 + 30) * 60'000'000;  // 1970-01-01T23:30Z
  EXPECT_EQ(LocalMinuteOfDay(utc_2330, 0), 23 * 60 + 30);
  EXPECT_EQ(LocalMinuteOfDay(utc_2330, 480), 7 * 60 + 30);  // 07:30 next day in Shanghai
  EXPECT_EQ(LocalMinuteOfDay(0, -300), 19 * 60);
}

TEST(ThroughputWindowMinutes, IsAnHourUnlessTheSiteOpenedLessThanAnHourAgo) {
  const std::vector<HoursSpan> hours = {{420, 660}};
  EXPECT_EQ(ThroughputWindowMinutes(hours, 600, 60, 10), 60);
  EXPECT_EQ(ThroughputWindowMinutes(hours, 450, 60, 10), 30);
  EXPECT_EQ(ThroughputWindowMinutes(hours, 423, 60, 10), 10);
  EXPECT_EQ(ThroughputWindowMinutes({}, 423, 60, 10), 60);
  EXPECT_EQ(ThroughputWindowMinutes(hours, 700, 60, 10), 60);  // closed: the last hour
}

TEST(ParseLanes, DefaultsToGeneralAndServesGreenFirst) {
  EXPECT_EQ(*ParseLanes({}), std::vector<Lane>{Lane::kGeneral});
  EXPECT_EQ(*ParseLanes({"general", "green"}), (std::vector<Lane>{Lane::kGreen, Lane::kGeneral}));
}

TEST(ParseLanes, RefusesAnUnknownOrRepeatedLane) {
  EXPECT_EQ(ParseLanes({"vip"}).error().code, ErrorCode::kUnknownLane);
  EXPECT_EQ(ParseLanes({"green", "green"}).error().code, ErrorCode::kInvalidField);
}

TEST(SwabsPerCollectorHour, IsTheRateAtTenAndScalesWithThePoolSize) {
  EXPECT_NEAR(SwabsPerCollectorHour(70, 60, 10), 70, 1e-9);
  // 51.43 s a person at 10-in-1, 6 s of it the tube's share: 105.43 s single, 48.43 s at 20.
  EXPECT_NEAR(SwabsPerCollectorHour(70, 60, 1), 34.15, 0.01);
  EXPECT_NEAR(SwabsPerCollectorHour(70, 60, 5), 62.69, 0.01);
  EXPECT_NEAR(SwabsPerCollectorHour(70, 60, 20), 74.34, 0.01);
  EXPECT_NEAR(SwabsPerCollectorHour(70, 0, 1), 70, 1e-9);
}

TEST(ValidRates, RefusesRatesThatLeaveNoTimeToSwab) {
  EXPECT_TRUE(ValidRates(70, 60));
  EXPECT_FALSE(ValidRates(0, 60));
  EXPECT_FALSE(ValidRates(700, 60));  // 5.1 s a person, 6 s of it the tube's
  EXPECT_FALSE(ValidRates(70, -1));
  EXPECT_FALSE(ValidRates(1001, 0));
}

TEST(SiteRatePerHour, FollowsTheScansAndFallsBackOnCollectors) {
  EXPECT_DOUBLE_EQ(SiteRatePerHour(90, 60, 4, 70), 90);
  EXPECT_DOUBLE_EQ(SiteRatePerHour(20, 20, 4, 70), 60);  // 20 in the 20 minutes since opening
  EXPECT_DOUBLE_EQ(SiteRatePerHour(0, 60, 4, 70), 280);
  EXPECT_DOUBLE_EQ(SiteRatePerHour(0, 60, 0, 70), 0);
}

TEST(EstimateWaits, ServesTheGreenLaneFirst) {
  auto waits = EstimateWaits({{Lane::kGeneral, 30, {}}, {Lane::kGreen, 5, {}}}, 70);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0].lane, Lane::kGreen);
  EXPECT_EQ(waits[0].minutes, 5);   // 5 × 60/70 = 4.3
  EXPECT_EQ(waits[1].minutes, 30);  // 35 × 60/70
}

TEST(EstimateWaits, IsZeroWithNobodyAheadAndUnknownWithoutARate) {
  auto empty = EstimateWaits({{Lane::kGeneral, 0, {}}}, 0);
  EXPECT_EQ(empty[0].minutes, 0);
  auto behind_green = EstimateWaits({{Lane::kGreen, 7, {}}, {Lane::kGeneral, 0, {}}}, 60);
  EXPECT_EQ(behind_green[1].minutes, 7);
  auto no_rate = EstimateWaits({{Lane::kGeneral, 3, {}}}, 0);
  EXPECT_FALSE(no_rate[0].minutes);
}

TEST(EstimateWaits, FollowsTheRate) {
  EXPECT_EQ(EstimateWaits({{Lane::kGeneral, 60, {}}}, 60)[0].minutes, 60);
  EXPECT_EQ(EstimateWaits({{Lane::kGeneral, 60, {}}}, 120)[0].minutes, 30);
  EXPECT_EQ(EstimateWaits({{Lane::kGeneral, 60, {}}}, 240)[0].minutes, 15);
}

TEST(UtcOffsetMinutes, KnowsTheSupportedZonesOnly) {
  EXPECT_EQ(UtcOffsetMinutes(kDefaultTimeZone), 480);
  EXPECT_EQ(UtcOffsetMinutes("Asia/Urumqi"), 360);
  EXPECT_EQ(UtcOffsetMinutes("UTC"), 0);
  EXPECT_FALSE(UtcOffsetMinutes("Europe/Berlin"));  // daylight saving time: not a fixed offset
  EXPECT_FALSE(UtcOffsetMinutes("Mars/Olympus"));
  EXPECT_NE(SupportedTimeZones().find("Asia/Shanghai"), std::string::npos);
}

}  // namespace
}  // namespace swabline::core
