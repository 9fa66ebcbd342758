#pragma once
/// Zone policy as data, and the few rules that read it: which zones a positive pool and a
/// positive person put in force, the pool size a zone asks for, and when a zone steps down or
/// lifts. A deployment changes the policy (an admin, through the API); the rules stay.
///
/// Stored and exchanged as a JSON object of this shape (every member optional; a missing
/// member means "none": no zone, no pool size, lifted by hand only; retest_due_hours, 24):
///
///   {"pool_positive": {"unit": "temporary"},
///    "positive":      {"unit": "sealed", "building": "controlled"},
///    "pool_size":     {"sealed": 1, "controlled": 10, "prevention": 20},
///    "retest_due_hours": 24,
///    "lift": {"sealed":     {"days_without_positive": 7,
///                            "all_negative_round_on_last_day": true,
///                            "then": "controlled", "then_days": 3},
///             "controlled": {"days_without_positive": 3}}}
///
/// Core knows no JSON: the policy travels as PolicyEntry values whose keys are the JSON paths
/// joined by dots ("lift.sealed.then_days" = 3) and whose values are the JSON leaves (bool,
/// integer, string). Nesting and un-nesting them is mechanical; every name and meaning lives
/// here.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/civil_time.hpp"
#include "core/person_status.hpp"
#include "core/place.hpp"
#include "core/result.hpp"

namespace swabline::core {

/// A trigger puts a zone of `level` over the person's place of kind `place` (unit, building
/// or community; the caller maps the kind to the place id along the person's home).
struct ZoneEffect {
  PlaceKind place = PlaceKind::kUnit;
  ZoneLevel level = ZoneLevel::kTemporary;
  friend bool operator==(const ZoneEffect&, const ZoneEffect&) = default;
};

/// When a zone of one level ends. Days are 24-hour periods counted from the later of the
/// zone's start and the last positive found in its place, so day 7 is [anchor + 6 d,
/// anchor + 7 d). When `all_negative_round_on_last_day`, an all-negative round sampled on
/// the last day is also needed (one sampled later still counts, so a missed round delays the
/// zone's end rather than trapping it). Then the zone lifts or, with `then_level`, steps down
/// to that (less strict) level, which lifts after `then_days` more days without a positive.
struct LiftRule {
  int days_without_positive = 0;  // required: 1..365
  bool all_negative_round_on_last_day = false;
  std::optional<ZoneLevel> then_level;
  int then_days = 0;
  friend bool operator==(const LiftRule&, const LiftRule&) = default;
};

struct ZonePolicy {
  std::vector<ZoneEffect> on_pool_positive;
  std::vector<ZoneEffect> on_positive;
  std::map<ZoneLevel, int> pool_size;  // levels without an entry leave the round's size
  int retest_due_hours = 24;           // a retest task is due this long after its incident opens
  std::map<ZoneLevel, LiftRule> lift;  // levels without an entry are lifted by hand
  friend bool operator==(const ZonePolicy&, const ZonePolicy&) = default;
};

/// A positive pool: each member's unit under temporary control. A positive person: their
/// unit sealed, their building controlled. Pool size: sealed 1, controlled 10, prevention 20.
/// Sealed lifts after 7 days without a positive and an all-negative round on day 7, stepping
/// down to controlled for 3 days; a controlled zone lifts after 3 days without a positive.
ZonePolicy DefaultZonePolicy();

/// Refuses (kInvalidField, the detail starting with the field's JSON path and the extra
/// `field` holding it) a zone over a kind
/// other than unit, building or community, or two over one kind; a pool size outside
/// {1, 5, 10, 20}; a lifting rule for temporary zones (they lift when their incident closes);
/// days outside 1..365; a `then` level that is not less strict than its own (sealed >
/// temporary > controlled > prevention) or is temporary; then_days without `then` or `then`
/// without then_days; retest_due_hours outside 1..168. A step-down zone always ends by its
/// then_days, so no chain of rules can cycle.
Status ValidateZonePolicy(const ZonePolicy& policy);

/// One leaf of the policy's JSON: key "positive.building", value "controlled".
struct PolicyEntry {
  std::string key;
  std::variant<bool, std::int64_t, std::string> value;
  friend bool operator==(const PolicyEntry&, const PolicyEntry&) = default;
};

/// The policy as leaves, in the JSON shape's order.
std::vector<PolicyEntry> ZonePolicyEntries(const ZonePolicy& policy);

/// The policy from leaves, validated. Fails with kInvalidField naming the key for an unknown
/// key, a value of the wrong type, an unknown level or place kind, a repeated key, or as
/// ValidateZonePolicy does.
Result<ZonePolicy> ZonePolicyFromEntries(std::span<const PolicyEntry> entries);

/// The zones a positive pool puts over each member's places.
inline std::span<const ZoneEffect> ZonesForPositivePool(const ZonePolicy& policy) {
  return policy.on_pool_positive;
}
/// The zones a positive person puts over their places.
inline std::span<const ZoneEffect> ZonesForPositivePerson(const ZonePolicy& policy) {
  return policy.on_positive;
}

/// The pool size for people under `zones_over_place` (the levels in force over their home):
/// the smallest size any of them asks for, nullopt when none does (the round's own size
/// stands). The smallest rather than the strictest level's, since a stricter level need not
/// set one (temporary in the default) and must not loosen what a milder one asks.
std::optional<int> PoolSizeFor(const ZonePolicy& policy,
                               std::span<const ZoneLevel> zones_over_place);

/// How a zone of `level` is lifted, in plain words for a resident: "after 7 days without a
/// new positive and an all-negative round on day 7, then controlled for 3 days", "by hand"
/// when the policy has no rule for it, "when its incident closes" for temporary zones.
std::string HowZoneLifts(const ZonePolicy& policy, ZoneLevel level);

/// One round over a zone's place, as far as lifting cares.
struct RoundFact {
  Micros sampled_at = 0;      // the round's last sample in the place: decides its day
  Micros resulted_at = 0;     // the place's last result; a round is unknown before it
  bool all_negative = false;  // every sample in the place resulted negative
};

struct ZoneFacts {
  ZoneLevel level = ZoneLevel::kSealed;
  Micros started_at = 0;
  /// Set when this zone is the step-down of a zone of that level: it then ends by that
  /// level's then_days instead of its own level's rule.
  std::optional<ZoneLevel> stepped_down_from;
  std::optional<Micros> last_positive_at;  // the latest positive found in the place (sampled)
  std::vector<RoundFact> rounds;
};

enum class ZoneAction { kKeep, kStepDown, kLift };

struct ZoneDecision {
  ZoneAction action = ZoneAction::kKeep;
  std::optional<ZoneLevel> step_down_to;  // with kStepDown
  std::optional<Micros> effective_at;     // kStepDown, kLift: when the rule was met
  std::optional<Micros> next_check_at;    // kKeep: when the days run out, if they have not
  Reason reason;  // code: lifts_with_incident, lift_by_hand, counting_days, awaiting_round,
                  // stepped_down, lifted (the UI words each code in both languages)
};

/// What the policy says of a zone at `now`. Facts after `now` (a positive, a round's result)
/// are not yet known and are ignored, so a test can move the clock through a zone's life.
/// Temporary zones are never ended by time: they lift when their incident closes, so the
/// answer for one is always kKeep (lifts_with_incident).
ZoneDecision EvaluateZone(const ZonePolicy& policy, const ZoneFacts& facts, Micros now);

}  // namespace swabline::core
