#pragma once
/// A person's state and colour (docs/architecture.md, the core loop, step 6): derived from their
/// latest round's sample and its tube, and from the zones over where they live.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tube.hpp"

namespace swabline::core {

enum class PersonState {
  kNotSampled,
  kPending,
  kNegative,
  kResampleRequired,
  kPoolPositive,
  kPositive
};
enum class Color { kGreen, kYellow, kRed };
enum class ZoneLevel { kTemporary, kSealed, kControlled, kPrevention };

std::string_view PersonStateName(PersonState s);
std::string_view ColorName(Color c);
std::string_view ZoneLevelName(ZoneLevel z);
std::optional<ZoneLevel> ParseZoneLevel(std::string_view s);

/// The person's sample in their latest round, as far as status cares.
struct SampleFact {
  std::optional<TubeResult> result;
  int capacity = 1;
  TubePurpose purpose = TubePurpose::kScreening;
};

/// What a result means for one person: a positive pool of several people makes each
/// pool_positive; a positive single tube (or retest) makes the person positive.
PersonState StateOf(const std::optional<SampleFact>& latest);

struct Reason {
  std::string code;
  std::string detail;
};

struct StatusInputs {
  std::optional<SampleFact> latest;
  std::vector<ZoneLevel> zones;        // zones in force over the person's home
  bool missed_previous_round = false;  // expected in the last closed round, never sampled
};

/// How each level of zone is lifted, in words from the zone policy (HowZoneLifts: "after 3
/// days without a new positive"); a level without words is said to lift "when it is lifted".
using HowZonesLiftWords = std::map<ZoneLevel, std::string>;

struct PersonStatus {
  PersonState state = PersonState::kNotSampled;
  Color color = Color::kGreen;
  std::vector<Reason> reasons;  // the pop-ups (弹窗), each saying how it is resolved
};

/// Red: positive or in a sealed zone. Yellow: pool_positive, resample_required, or in a
/// controlled or temporary zone. Otherwise green.
/// Each zone reason says how the zone clears in `how_zones_lift`'s words.
PersonStatus DeriveStatus(const StatusInputs& in, const HowZonesLiftWords& how_zones_lift = {});

}  // namespace swabline::core
