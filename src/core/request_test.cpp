#include "core/request.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

TEST(RequestCategory, RoundTripsEveryName) {
  for (RequestCategory c : kRequestCategories)
    EXPECT_EQ(ParseRequestCategory(RequestCategoryName(c)), c);
  EXPECT_FALSE(ParseRequestCategory("Medicine").has_value());
  EXPECT_FALSE(ParseRequestCategory("").has_value());
}

TEST(RequestDueAt, PutsAMedicalVisitBeforeFood) {
  const RequestDueHours due;
  const Micros hour = 3600LL * 1'000'000;
  EXPECT_EQ(RequestDueAt(due, RequestCategory::kMedical, 0), 2 * hour);
  EXPECT_EQ(RequestDueAt(due, RequestCategory::kMedicine, 0), 4 * hour);
  EXPECT_EQ(RequestDueAt(due, RequestCategory::kFood, 10), 10 + 12 * hour);
  EXPECT_EQ(RequestDueAt(due, RequestCategory::kCodePopup, 0), 24 * hour);
}

TEST(RequestDueAt, FollowsChangedHours) {
  RequestDueHours due;
  due.Of(RequestCategory::kFood) = 6;
  EXPECT_EQ(RequestDueAt(due, RequestCategory::kFood, 0), 6 * 3600LL * 1'000'000);
}

TEST(RequestStatus, RoundTripsEveryName) {
  for (auto s : {RequestStatus::kOpen, RequestStatus::kAssigned, RequestStatus::kClosed})
    EXPECT_EQ(ParseRequestStatus(RequestStatusName(s)), s);
  EXPECT_FALSE(ParseRequestStatus("done").has_value());
}

}  // namespace
}  // namespace swabline::core
