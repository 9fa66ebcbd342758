#pragma once
/// The checkpoint rule (docs/api.md, "The areas": community operations; docs/openapi.yaml): whether
/// a person may pass a compound gate, from their status and the zones in force over the gate's
/// place and over their home.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/person_status.hpp"

namespace swabline::core {

enum class GateDirection { kIn, kOut };

std::string_view GateDirectionName(GateDirection d);
std::optional<GateDirection> ParseGateDirection(std::string_view name);

struct GateInputs {
  GateDirection direction = GateDirection::kIn;
  Color color = Color::kGreen;
  PersonState state = PersonState::kNotSampled;
  /// The person's home lies at or under the checkpoint's place.
  bool lives_here = false;
  /// Zones in force on the checkpoint's place or an ancestor of it.
  std::vector<ZoneLevel> gate_zones;
  /// Zones in force on the person's home or an ancestor of it.
  std::vector<ZoneLevel> home_zones;
};

struct GateDecision {
  bool allowed = true;
  /// Why not, first reason first (codes gate_red, gate_outsider_sealed,
  /// gate_outsider_controlled, gate_home_sealed, gate_home_controlled, gate_positive); empty
  /// when allowed.
  std::vector<Reason> refusals;
};

/// In: a red person never enters; a person who does not live under the gate's place does not
/// enter while a sealed or controlled zone is in force over it. Out: a positive person, and a
/// resident whose home lies under a sealed or controlled zone, stay in (the zone keeps its
/// people in; a pool-positive person waiting for a retest may still go out).
GateDecision DecideGate(const GateInputs& in);

}  // namespace swabline::core
