#include "core/person_status.hpp"

#include <algorithm>
#include <array>

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 6> kStateNames = {
    "not_sampled", "pending", "negative", "resample_required", "pool_positive", "positive"};
constexpr std::array<std::string_view, 3> kColorNames = {"green", "yellow", "red"};
constexpr std::array<std::string_view, 4> kZoneNames = {"temporary", "sealed", "controlled",
                                                        "prevention"};

}  // namespace

std::string_view PersonStateName(PersonState s) { return kStateNames[static_cast<std::size_t>(s)]; }
std::string_view ColorName(Color c) { return kColorNames[static_cast<std::size_t>(c)]; }
std::string_view ZoneLevelName(ZoneLevel z) { return kZoneNames[static_cast<std::size_t>(z)]; }
std::optional<ZoneLevel> ParseZoneLevel(std::string_view s) {
  for (std::size_t i = 0; i < kZoneNames.size(); ++i)
    if (kZoneNames[i] == s) return static_cast<ZoneLevel>(i);
  return std::nullopt;
}

PersonState StateOf(const std::optional<SampleFact>& latest) {
  if (!latest) return PersonState::kNotSampled;
  if (!latest->result) return PersonState::kPending;
  switch (*latest->result) {
    case TubeResult::kNegative: return PersonState::kNegative;
    case TubeResult::kInvalid: return PersonState::kResampleRequired;
    case TubeResult::kPositive:
      return latest->capacity > 1 && latest->purpose == TubePurpose::kScreening
                 ? PersonState::kPoolPositive
                 : PersonState::kPositive;
  }
  return PersonState::kNotSampled;
}

PersonStatus DeriveStatus(const StatusInputs& in, const HowZonesLiftWords& how_zones_lift) {
  PersonStatus out;
  out.state = StateOf(in.latest);
  auto raise = [&out](Color c) { out.color = std::max(out.color, c); };
  switch (out.state) {
    case PersonState::kPositive:
      raise(Color::kRed);
      out.reasons.push_back(
          {"positive", "confirmed positive: stay isolated; the community office will contact you"});
      break;
    case PersonState::kPoolPositive:
      raise(Color::kYellow);
      out.reasons.push_back(
          {"pool_positive",
           "your pooled tube tested positive: stay home and wait for a single-tube retest"});
      break;
    case PersonState::kResampleRequired:
      raise(Color::kYellow);
      out.reasons.push_back(
          {"resample_required", "your sample could not be tested: be sampled again at any site"});
      break;
    default: break;
  }
  auto lifts = [&how_zones_lift](ZoneLevel z) {
    auto it = how_zones_lift.find(z);
    return it == how_zones_lift.end() ? std::string("when it is lifted") : it->second;
  };
  for (ZoneLevel z : in.zones) {
    switch (z) {
      case ZoneLevel::kSealed:
        raise(Color::kRed);
        out.reasons.push_back(
            {"zone_sealed", "you live in a sealed zone: stay at home; it is lifted " + lifts(z)});
        break;
      case ZoneLevel::kControlled:
        raise(Color::kYellow);
        out.reasons.push_back({"zone_controlled",
                               "you live in a controlled zone: do not leave the compound; it is "
                               "lifted " +
                                   lifts(z)});
        break;
      case ZoneLevel::kTemporary:
        raise(Color::kYellow);
        out.reasons.push_back({"zone_temporary",
                               "your unit is under temporary control: it is lifted when your "
                               "neighbours' retests are negative"});
        break;
      case ZoneLevel::kPrevention: break;
    }
  }
  if (in.missed_previous_round)
    out.reasons.push_back(
        {"missed_round",
         "you missed the last testing round: be sampled at any site to clear this"});
  return out;
}

}  // namespace swabline::core
