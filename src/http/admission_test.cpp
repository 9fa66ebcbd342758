#include "http/admission.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace swabline::http {
namespace {

using std::chrono::milliseconds;
const Admission::Clock::time_point kT0{};

TEST(Admission, RefusesOnArrivalARequestThatFindsTheQueueFull) {
  Admission queue({milliseconds(50), 2});
  Admission::Ticket a, b, c;
  EXPECT_TRUE(queue.Enter(kT0, a));
  EXPECT_TRUE(queue.Enter(kT0, b));
  EXPECT_FALSE(queue.Enter(kT0, c)) << "two waiting already";
  EXPECT_EQ(queue.waiting(), 2u);
  EXPECT_EQ(queue.refused_full(), 1u);
  EXPECT_TRUE(queue.Start(a, kT0 + milliseconds(1)));
  EXPECT_TRUE(queue.Enter(kT0, c)) << "one has left the queue, so there is room again";
}

TEST(Admission, RefusesLateRequestsOnlyOnceTheyHaveBeenLateForLongerThanTheBudget) {
  Admission queue({milliseconds(50), 0});
  std::vector<Admission::Ticket> t(5);
  for (auto& ticket : t) ASSERT_TRUE(queue.Enter(kT0, ticket));
  EXPECT_TRUE(queue.Start(t[0], kT0 + milliseconds(50))) << "exactly the budget is in time";
  EXPECT_TRUE(queue.Start(t[1], kT0 + milliseconds(60))) << "the first late one is served";
  EXPECT_TRUE(queue.Start(t[2], kT0 + milliseconds(110))) << "late for 50 ms only";
  EXPECT_FALSE(queue.Start(t[3], kT0 + milliseconds(111))) << "a standing queue";
  EXPECT_EQ(queue.refused_late(), 1u);
  EXPECT_EQ(queue.waiting(), 1u) << "a refused request has left the queue too";
}

TEST(Admission, ARequestInTimeEndsALatePeriod) {
  Admission queue({milliseconds(50), 0});
  std::vector<Admission::Ticket> t(4);
  ASSERT_TRUE(queue.Enter(kT0, t[0]));
  ASSERT_TRUE(queue.Start(t[0], kT0 + milliseconds(60)));  // late from 60 ms
  ASSERT_TRUE(queue.Enter(kT0 + milliseconds(100), t[1]));
  ASSERT_TRUE(queue.Start(t[1], kT0 + milliseconds(101)));  // in time: the burst is over
  ASSERT_TRUE(queue.Enter(kT0 + milliseconds(100), t[2]));
  EXPECT_TRUE(queue.Start(t[2], kT0 + milliseconds(200))) << "late again, but only just begun";
  EXPECT_EQ(queue.refused_late(), 0u);
}

TEST(Admission, ZeroLimitsAdmitEverything) {
  Admission queue({milliseconds(0), 0});
  Admission::Ticket t;
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(queue.Enter(kT0, t));
  EXPECT_TRUE(queue.Start(t, kT0 + std::chrono::hours(1)));
  EXPECT_EQ(queue.refused_full() + queue.refused_late(), 0u);
}

}  // namespace
}  // namespace swabline::http
