#include "service/live_feed.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace swabline::service {
namespace {

using core::LiveEvent;
using core::LiveEventKind;

LiveEvent At(LiveEventKind kind, const char* id_path, std::int64_t subject, std::int64_t count = 1,
             std::int64_t positives = 0) {
  LiveEvent e;
  e.kind = kind;
  e.place = core::PlaceIdsOf(id_path);
  e.subject = subject;
  e.count = count;
  e.positives = positives;
  return e;
}

std::vector<std::int64_t> Subjects(const std::vector<LiveEvent>& events) {
  std::vector<std::int64_t> out;
  for (const auto& e : events) out.push_back(e.subject);
  return out;
}

TEST(LiveFeed, AddsUpOneCommitsScansAndResultsBySite) {
  LiveFeed feed(100);
  const std::vector<LiveEvent> commit = {At(LiveEventKind::kSamples, "/1/2/3/", 7),
                                         At(LiveEventKind::kSamples, "/1/2/4/", 8),
                                         At(LiveEventKind::kSamples, "/1/2/3/", 7),
                                         At(LiveEventKind::kZoneStarted, "/1/2/3/", 50),
                                         At(LiveEventKind::kResults, "/1/2/3/", 7, 1, 1),
                                         At(LiveEventKind::kResults, "/1/2/3/", 7, 1, 0)};
  feed.Publish(commit);
  std::vector<LiveEvent> got;
  const auto slice = feed.Read(99, std::nullopt, 100, got);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].id, 100u);
  EXPECT_EQ(got[0].count, 2);
  EXPECT_EQ(got[1].subject, 8);
  EXPECT_EQ(got[2].kind, LiveEventKind::kZoneStarted);
  EXPECT_EQ(got[3].count, 2);
  EXPECT_EQ(got[3].positives, 1);
  EXPECT_EQ(slice.newest, 103u);
  EXPECT_FALSE(slice.gap);
}

TEST(LiveFeed, ShowsAScopedReaderOnlyTheEventsOfItsPlaces) {
  LiveFeed feed(1);
  feed.Publish(std::vector<LiveEvent>{At(LiveEventKind::kRequestOpened, "/1/2/3/", 1),
                                      At(LiveEventKind::kRequestOpened, "/1/2/4/", 2),
                                      At(LiveEventKind::kRequestOpened, "/1/2/3/9/", 3)});
  std::vector<LiveEvent> got;
  feed.Read(0, 3, 100, got);
  EXPECT_EQ(Subjects(got), (std::vector<std::int64_t>{1, 3}));
  got.clear();
  feed.Read(0, 4, 100, got);
  EXPECT_EQ(Subjects(got), (std::vector<std::int64_t>{2}));
}

TEST(LiveFeed, ResumesAfterAnIdWithoutLossOrRepeat) {
  LiveFeed feed(1);
  for (std::int64_t i = 1; i <= 5; ++i)
    feed.Publish(std::vector<LiveEvent>{At(LiveEventKind::kTaskDone, "/1/", i)});
  std::vector<LiveEvent> got;
  auto slice = feed.Read(0, std::nullopt, 2, got);
  EXPECT_EQ(Subjects(got), (std::vector<std::int64_t>{1, 2}));
  feed.Read(slice.newest, std::nullopt, 100, got);
  EXPECT_EQ(Subjects(got), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

TEST(LiveFeed, ReportsAGapWhenTheAskedIdHasLeftTheRingOrIsFromAnotherRun) {
  LiveFeed feed(1, 4);
  for (std::int64_t i = 1; i <= 10; ++i)
    feed.Publish(std::vector<LiveEvent>{At(LiveEventKind::kTaskDone, "/1/", i)});
  std::vector<LiveEvent> got;
  EXPECT_TRUE(feed.Read(2, std::nullopt, 100, got).gap);
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(feed.Read(11, std::nullopt, 100, got).gap);   // newer than anything: another run
  const auto slice = feed.Read(6, std::nullopt, 100, got);  // 7..10 are still held
  EXPECT_FALSE(slice.gap);
  EXPECT_EQ(Subjects(got), (std::vector<std::int64_t>{7, 8, 9, 10}));
  EXPECT_EQ(slice.newest, 10u);
}

TEST(LiveFeed, TellsItsListenerOncePerPublish) {
  LiveFeed feed(1);
  int told = 0;
  feed.SetListener([&] { ++told; });
  feed.Publish(std::vector<LiveEvent>{At(LiveEventKind::kSamples, "/1/", 1),
                                      At(LiveEventKind::kSamples, "/1/", 2)});
  feed.Publish(std::vector<LiveEvent>{});
  EXPECT_EQ(told, 1);
}

}  // namespace
}  // namespace swabline::service
