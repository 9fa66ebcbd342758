#include "core/gate.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

std::vector<std::string> Codes(const GateDecision& d) {
  std::vector<std::string> out;
  for (const Reason& r : d.refusals) out.push_back(r.code);
  return out;
}

GateInputs Entering(bool lives_here, std::vector<ZoneLevel> gate_zones,
                    Color color = Color::kGreen) {
  GateInputs in;
  in.direction = GateDirection::kIn;
  in.lives_here = lives_here;
  in.gate_zones = std::move(gate_zones);
  in.color = color;
  return in;
}

TEST(DecideGate, LetsAnyGreenPersonInWhereNoZoneIsInForce) {
  EXPECT_TRUE(DecideGate(Entering(false, {})).allowed);
  EXPECT_TRUE(DecideGate(Entering(true, {})).allowed);
}

TEST(DecideGate, RefusesAnOutsiderAtAControlledOrSealedPlace) {
  const auto controlled = DecideGate(Entering(false, {ZoneLevel::kControlled}));
  EXPECT_FALSE(controlled.allowed);
  EXPECT_EQ(Codes(controlled), std::vector<std::string>{"gate_outsider_controlled"});
  const auto sealed = DecideGate(Entering(false, {ZoneLevel::kControlled, ZoneLevel::kSealed}));
  EXPECT_EQ(Codes(sealed), std::vector<std::string>{"gate_outsider_sealed"});
}

TEST(DecideGate, LetsAResidentHomeThroughAControlledGate) {
  EXPECT_TRUE(DecideGate(Entering(true, {ZoneLevel::kControlled}, Color::kYellow)).allowed);
}

TEST(DecideGate, LetsAnOutsiderThroughTemporaryAndPreventionZones) {
  EXPECT_TRUE(DecideGate(Entering(false, {ZoneLevel::kTemporary, ZoneLevel::kPrevention})).allowed);
}

TEST(DecideGate, NeverLetsARedPersonIn) {
  const auto home = DecideGate(Entering(true, {}, Color::kRed));
  EXPECT_FALSE(home.allowed);
  EXPECT_EQ(Codes(home), std::vector<std::string>{"gate_red"});
  const auto outsider = DecideGate(Entering(false, {ZoneLevel::kSealed}, Color::kRed));
  EXPECT_EQ(Codes(outsider), (std::vector<std::string>{"gate_red", "gate_outsider_sealed"}));
}

TEST(DecideGate, KeepsPositivesAndResidentsOfSealedOrControlledHomesIn) {
  GateInputs out;
  out.direction = GateDirection::kOut;
  out.lives_here = true;
  EXPECT_TRUE(DecideGate(out).allowed);
  out.home_zones = {ZoneLevel::kSealed};
  EXPECT_EQ(Codes(DecideGate(out)), std::vector<std::string>{"gate_home_sealed"});
  out.home_zones = {ZoneLevel::kControlled};
  EXPECT_EQ(Codes(DecideGate(out)), std::vector<std::string>{"gate_home_controlled"});
  out.home_zones = {};
  out.state = PersonState::kPositive;
  out.color = Color::kRed;
  EXPECT_EQ(Codes(DecideGate(out)), std::vector<std::string>{"gate_positive"});
}

TEST(DecideGate, LetsAPoolPositivePersonOutAndAnOutsiderLeaveASealedPlace) {
  GateInputs out;
  out.direction = GateDirection::kOut;
  out.state = PersonState::kPoolPositive;
  out.color = Color::kYellow;
  out.gate_zones = {ZoneLevel::kSealed};
  EXPECT_TRUE(DecideGate(out).allowed);
}

TEST(GateDirection, ParsesInAndOutOnly) {
  EXPECT_EQ(ParseGateDirection("in"), GateDirection::kIn);
  EXPECT_EQ(ParseGateDirection("out"), GateDirection::kOut);
  EXPECT_EQ(ParseGateDirection("IN"), std::nullopt);
  EXPECT_EQ(GateDirectionName(GateDirection::kOut), "out");
}

}  // namespace
}  // namespace swabline::core
