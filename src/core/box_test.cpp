#include "core/box.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

ErrorCode CodeOf(const Status& s) { return s.ok() ? ErrorCode::kInternal : s.error().code; }

TEST(BoxStatus, RoundTripsItsNames) {
  for (BoxStatus s : {BoxStatus::kOpen, BoxStatus::kInTransit, BoxStatus::kReceived})
    EXPECT_EQ(ParseBoxStatus(BoxStatusName(s)), s);
  EXPECT_FALSE(ParseBoxStatus("lost").has_value());
}

TEST(CheckTubeBoxable, TakesASealedTubeInNoBox) {
  EXPECT_TRUE(CheckTubeBoxable(TubeStatus::kSealed, false).ok());
}

TEST(CheckTubeBoxable, RefusesAnOpenTubeFirst) {
  EXPECT_EQ(CodeOf(CheckTubeBoxable(TubeStatus::kOpen, false)), ErrorCode::kTubeNotSealed);
}

TEST(CheckTubeBoxable, RefusesATubeInABoxOrPastBoxing) {
  EXPECT_EQ(CodeOf(CheckTubeBoxable(TubeStatus::kSealed, true)), ErrorCode::kTubeInBox);
  for (TubeStatus s :
       {TubeStatus::kInBox, TubeStatus::kInTransit, TubeStatus::kReceived, TubeStatus::kResulted})
    EXPECT_EQ(CodeOf(CheckTubeBoxable(s, false)), ErrorCode::kTubeInBox) << TubeStatusName(s);
}

TEST(CheckBoxTakesTubes, OnlyWhileOpen) {
  EXPECT_TRUE(CheckBoxTakesTubes(BoxStatus::kOpen).ok());
  EXPECT_EQ(CodeOf(CheckBoxTakesTubes(BoxStatus::kInTransit)), ErrorCode::kBoxNotOpen);
  EXPECT_EQ(CodeOf(CheckBoxTakesTubes(BoxStatus::kReceived)), ErrorCode::kBoxNotOpen);
}

TEST(DecideDispatch, DispatchesAnOpenBoxWithTubes) {
  auto d = DecideDispatch(BoxStatus::kOpen, 3);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, DispatchChange::kDispatch);
}

TEST(DecideDispatch, RefusesAnEmptyBox) {
  auto d = DecideDispatch(BoxStatus::kOpen, 0);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kBoxEmpty);
}

TEST(DecideDispatch, LeavesABoxInTransitAsItIs) {
  auto d = DecideDispatch(BoxStatus::kInTransit, 3);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, DispatchChange::kUnchanged);
}

TEST(DecideDispatch, RefusesAReceivedBox) {
  auto d = DecideDispatch(BoxStatus::kReceived, 3);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kBoxNotOpen);
}

TEST(ReceiptMovesTube, MovesTubesOnTheirWayButNotResultedOnes) {
  EXPECT_TRUE(ReceiptMovesTube(TubeStatus::kInBox));
  EXPECT_TRUE(ReceiptMovesTube(TubeStatus::kInTransit));
  EXPECT_FALSE(ReceiptMovesTube(TubeStatus::kReceived));
  EXPECT_FALSE(ReceiptMovesTube(TubeStatus::kResulted));
}

}  // namespace
}  // namespace swabline::core
