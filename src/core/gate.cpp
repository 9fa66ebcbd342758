#include "core/gate.hpp"

#include <algorithm>

namespace swabline::core {
namespace {

bool Has(const std::vector<ZoneLevel>& zones, ZoneLevel level) {
  return std::find(zones.begin(), zones.end(), level) != zones.end();
}

void Refuse(GateDecision& d, std::string code, std::string detail) {
  d.allowed = false;
  d.refusals.push_back({std::move(code), std::move(detail)});
}

void DecideIn(const GateInputs& in, GateDecision& d) {
  if (in.color == Color::kRed) Refuse(d, "gate_red", "a person whose status is red does not enter");
  if (in.lives_here) return;
  if (Has(in.gate_zones, ZoneLevel::kSealed))
    Refuse(d, "gate_outsider_sealed", "this place is sealed: only its residents enter");
  else if (Has(in.gate_zones, ZoneLevel::kControlled))
    Refuse(d, "gate_outsider_controlled", "this place is controlled: only its residents enter");
}

void DecideOut(const GateInputs& in, GateDecision& d) {
  if (in.state == PersonState::kPositive)
    Refuse(d, "gate_positive", "a positive person stays in until cleared");
  if (Has(in.home_zones, ZoneLevel::kSealed))
    Refuse(d, "gate_home_sealed", "the home is in a sealed zone: its residents stay in");
  else if (Has(in.home_zones, ZoneLevel::kControlled))
    Refuse(d, "gate_home_controlled", "the home is in a controlled zone: its residents stay in");
}

}  // namespace

std::string_view GateDirectionName(GateDirection d) {
  return d == GateDirection::kIn ? "in" : "out";
}

std::optional<GateDirection> ParseGateDirection(std::string_view name) {
  if (name == "in") return GateDirection::kIn;
  if (name == "out") return GateDirection::kOut;
  return std::nullopt;
}

GateDecision DecideGate(const GateInputs& in) {
  GateDecision d;
  if (in.direction == GateDirection::kIn)
    DecideIn(in, d);
  else
    DecideOut(in, d);
  return d;
}

}  // namespace swabline::core
