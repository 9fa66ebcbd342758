#include "core/zone_policy.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace swabline::core {
namespace {

constexpr int kMaxDays = 365;
constexpr int kMaxRetestDueHours = 168;
constexpr std::string_view kPoolPositive = "pool_positive";
constexpr std::string_view kPositive = "positive";
constexpr std::string_view kPoolSize = "pool_size";
constexpr std::string_view kRetestDue = "retest_due_hours";
constexpr std::string_view kLift = "lift";
constexpr std::string_view kDays = "days_without_positive";
constexpr std::string_view kRound = "all_negative_round_on_last_day";
constexpr std::string_view kThen = "then";
constexpr std::string_view kThenDays = "then_days";

Error Invalid(std::string_view key, std::string_view why) {
  return Fail(ErrorCode::kInvalidField, std::string(key) + ": " + std::string(why))
      .With("field", std::string(key));
}

std::string Key(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view p : parts) {
    if (!key.empty()) key += '.';
    key += p;
  }
  return key;
}

/// Sealed > temporary > controlled > prevention: a step down must go right in this order.
int Strictness(ZoneLevel level) {
  switch (level) {
    case ZoneLevel::kSealed: return 3;
    case ZoneLevel::kTemporary: return 2;
    case ZoneLevel::kControlled: return 1;
    case ZoneLevel::kPrevention: return 0;
  }
  return 0;
}

Status ValidateEffects(std::string_view trigger, const std::vector<ZoneEffect>& effects) {
  std::set<PlaceKind> seen;
  for (const ZoneEffect& e : effects) {
    std::string key = Key({trigger, PlaceKindName(e.place)});
    if (e.place != PlaceKind::kUnit && e.place != PlaceKind::kBuilding &&
        e.place != PlaceKind::kCommunity)
      return Invalid(key, "zones cover units, buildings or communities");
    if (!seen.insert(e.place).second) return Invalid(key, "given twice");
  }
  return Ok{};
}

Status ValidateDays(const std::string& key, int days) {
  if (days < 1 || days > kMaxDays) return Invalid(key, "must be 1 to 365 days");
  return Ok{};
}

Status ValidateLift(ZoneLevel level, const LiftRule& rule) {
  std::string_view name = ZoneLevelName(level);
  if (level == ZoneLevel::kTemporary)
    return Invalid(Key({kLift, name}), "temporary zones lift when their incident closes");
  SWB_TRY(ValidateDays(Key({kLift, name, kDays}), rule.days_without_positive));
  if (!rule.then_level) {
    if (rule.then_days != 0) return Invalid(Key({kLift, name, kThenDays}), "needs then");
    return Ok{};
  }
  std::string then_key = Key({kLift, name, kThen});
  if (*rule.then_level == ZoneLevel::kTemporary)
    return Invalid(then_key, "a zone cannot step down to temporary");
  if (Strictness(*rule.then_level) >= Strictness(level))
    return Invalid(then_key, "must be a less strict level");
  return ValidateDays(Key({kLift, name, kThenDays}), rule.then_days);
}

// Reading leaves: each fails naming the key.

Result<int> IntOf(const PolicyEntry& e) {
  const auto* v = std::get_if<std::int64_t>(&e.value);
  if (v == nullptr) return Invalid(e.key, "must be an integer");
  if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())
    return Invalid(e.key, "out of range");
  return static_cast<int>(*v);
}

Result<bool> BoolOf(const PolicyEntry& e) {
  const auto* v = std::get_if<bool>(&e.value);
  if (v == nullptr) return Invalid(e.key, "must be true or false");
  return *v;
}

Result<ZoneLevel> LevelNamed(const std::string& key, std::string_view name) {
  auto level = ParseZoneLevel(name);
  if (!level) return Invalid(key, "unknown zone level (temporary, sealed, controlled, prevention)");
  return *level;
}

Result<ZoneLevel> LevelOf(const PolicyEntry& e) {
  const auto* v = std::get_if<std::string>(&e.value);
  if (v == nullptr) return Invalid(e.key, "must be a zone level");
  return LevelNamed(e.key, *v);
}

std::vector<std::string_view> SplitKey(std::string_view key) {
  std::vector<std::string_view> parts;
  for (std::size_t dot; (dot = key.find('.')) != std::string_view::npos;) {
    parts.push_back(key.substr(0, dot));
    key.remove_prefix(dot + 1);
  }
  parts.push_back(key);
  return parts;
}

Status ApplyLiftEntry(LiftRule& rule, std::string_view field, const PolicyEntry& e) {
  if (field == kDays) {
    SWB_TRY_ASSIGN(rule.days_without_positive, IntOf(e));
  } else if (field == kRound) {
    SWB_TRY_ASSIGN(rule.all_negative_round_on_last_day, BoolOf(e));
  } else if (field == kThen) {
    SWB_TRY_ASSIGN(rule.then_level, LevelOf(e));
  } else if (field == kThenDays) {
    SWB_TRY_ASSIGN(rule.then_days, IntOf(e));
  } else {
    return Invalid(e.key, "unknown key");
  }
  return Ok{};
}

Status ApplyEntry(ZonePolicy& policy, const PolicyEntry& e) {
  std::vector<std::string_view> parts = SplitKey(e.key);
  if (parts.size() == 2 && (parts[0] == kPoolPositive || parts[0] == kPositive)) {
    auto kind = ParsePlaceKind(parts[1]);
    if (!kind) return Invalid(e.key, "unknown place kind (unit, building, community)");
    SWB_TRY_ASSIGN(ZoneLevel level, LevelOf(e));
    (parts[0] == kPositive ? policy.on_positive : policy.on_pool_positive)
        .push_back({*kind, level});
    return Ok{};
  }
  if (parts.size() == 2 && parts[0] == kPoolSize) {
    SWB_TRY_ASSIGN(ZoneLevel level, LevelNamed(e.key, parts[1]));
    SWB_TRY_ASSIGN(policy.pool_size[level], IntOf(e));
    return Ok{};
  }
  if (parts.size() == 1 && parts[0] == kRetestDue) {
    SWB_TRY_ASSIGN(policy.retest_due_hours, IntOf(e));
    return Ok{};
  }
  if (parts.size() == 3 && parts[0] == kLift) {
    SWB_TRY_ASSIGN(ZoneLevel level, LevelNamed(e.key, parts[1]));
    return ApplyLiftEntry(policy.lift[level], parts[2], e);
  }
  return Invalid(e.key, "unknown key");
}

// Lifting.

constexpr Micros kDay = Micros{86'400} * 1'000'000;

ZoneDecision Keep(std::string code, std::string detail, std::optional<Micros> next = {}) {
  ZoneDecision d;
  d.next_check_at = next;
  d.reason = {std::move(code), std::move(detail)};
  return d;
}

/// The rule that ends this zone: a step-down zone ends by its parent's then_days (no round
/// needed), any other by its own level's rule. A parent rule changed since falls back.
std::optional<LiftRule> RuleFor(const ZonePolicy& policy, const ZoneFacts& facts) {
  if (facts.stepped_down_from) {
    auto parent = policy.lift.find(*facts.stepped_down_from);
    if (parent != policy.lift.end() && parent->second.then_level == facts.level)
      return LiftRule{parent->second.then_days, false, std::nullopt, 0};
  }
  auto own = policy.lift.find(facts.level);
  if (own == policy.lift.end()) return std::nullopt;
  return own->second;
}

/// When an all-negative round sampled on the count's last day (or later) was known, if one
/// was by `now`: the earliest such result, or the end of the days if it came before.
std::optional<Micros> AllNegativeRoundAt(const ZoneFacts& facts, Micros days_end, Micros now) {
  std::optional<Micros> at;
  for (const RoundFact& r : facts.rounds) {
    if (!r.all_negative || r.sampled_at < days_end - kDay || r.resulted_at > now) continue;
    Micros known = std::max(days_end, r.resulted_at);
    at = std::min(at.value_or(known), known);
  }
  return at;
}

}  // namespace

ZonePolicy DefaultZonePolicy() {
  ZonePolicy p;
  p.on_pool_positive = {{PlaceKind::kUnit, ZoneLevel::kTemporary}};
  p.on_positive = {{PlaceKind::kUnit, ZoneLevel::kSealed},
                   {PlaceKind::kBuilding, ZoneLevel::kControlled}};
  p.pool_size = {
      {ZoneLevel::kSealed, 1}, {ZoneLevel::kControlled, 10}, {ZoneLevel::kPrevention, 20}};
  p.lift[ZoneLevel::kSealed] = {7, true, ZoneLevel::kControlled, 3};
  p.lift[ZoneLevel::kControlled] = {3, false, std::nullopt, 0};
  return p;
}

Status ValidateZonePolicy(const ZonePolicy& policy) {
  SWB_TRY(ValidateEffects(kPoolPositive, policy.on_pool_positive));
  SWB_TRY(ValidateEffects(kPositive, policy.on_positive));
  for (const auto& [level, size] : policy.pool_size)
    if (size != 1 && size != 5 && size != 10 && size != 20)
      return Invalid(Key({kPoolSize, ZoneLevelName(level)}), "must be 1, 5, 10 or 20");
  if (policy.retest_due_hours < 1 || policy.retest_due_hours > kMaxRetestDueHours)
    return Invalid(kRetestDue, "must be 1 to 168 hours");
  for (const auto& [level, rule] : policy.lift) SWB_TRY(ValidateLift(level, rule));
  return Ok{};
}

std::vector<PolicyEntry> ZonePolicyEntries(const ZonePolicy& policy) {
  std::vector<PolicyEntry> out;
  auto text = [](ZoneLevel level) { return std::string(ZoneLevelName(level)); };
  for (const ZoneEffect& e : policy.on_pool_positive)
    out.push_back({Key({kPoolPositive, PlaceKindName(e.place)}), text(e.level)});
  for (const ZoneEffect& e : policy.on_positive)
    out.push_back({Key({kPositive, PlaceKindName(e.place)}), text(e.level)});
  for (const auto& [level, size] : policy.pool_size)
    out.push_back({Key({kPoolSize, ZoneLevelName(level)}), std::int64_t{size}});
  out.push_back({std::string(kRetestDue), std::int64_t{policy.retest_due_hours}});
  for (const auto& [level, rule] : policy.lift) {
    std::string_view name = ZoneLevelName(level);
    out.push_back({Key({kLift, name, kDays}), std::int64_t{rule.days_without_positive}});
    out.push_back({Key({kLift, name, kRound}), rule.all_negative_round_on_last_day});
    if (rule.then_level) {
      out.push_back({Key({kLift, name, kThen}), text(*rule.then_level)});
      out.push_back({Key({kLift, name, kThenDays}), std::int64_t{rule.then_days}});
    }
  }
  return out;
}

Result<ZonePolicy> ZonePolicyFromEntries(std::span<const PolicyEntry> entries) {
  ZonePolicy policy;
  std::set<std::string_view> seen;
  for (const PolicyEntry& e : entries) {
    if (!seen.insert(e.key).second) return Invalid(e.key, "given twice");
    SWB_TRY(ApplyEntry(policy, e));
  }
  SWB_TRY(ValidateZonePolicy(policy));
  return policy;
}

std::optional<int> PoolSizeFor(const ZonePolicy& policy,
                               std::span<const ZoneLevel> zones_over_place) {
  std::optional<int> size;
  for (ZoneLevel level : zones_over_place) {
    auto it = policy.pool_size.find(level);
    if (it != policy.pool_size.end()) size = std::min(size.value_or(it->second), it->second);
  }
  return size;
}

std::string HowZoneLifts(const ZonePolicy& policy, ZoneLevel level) {
  if (level == ZoneLevel::kTemporary) return "when its incident closes";
  auto it = policy.lift.find(level);
  if (it == policy.lift.end()) return "by hand";
  const LiftRule& rule = it->second;
  const std::string days = std::to_string(rule.days_without_positive);
  std::string words = "after " + days + (rule.days_without_positive == 1 ? " day" : " days") +
                      " without a new positive";
  if (rule.all_negative_round_on_last_day) words += " and an all-negative round on day " + days;
  if (rule.then_level)
    words += ", then " + std::string(ZoneLevelName(*rule.then_level)) + " for " +
             std::to_string(rule.then_days) + (rule.then_days == 1 ? " day" : " days");
  return words;
}

ZoneDecision EvaluateZone(const ZonePolicy& policy, const ZoneFacts& facts, Micros now) {
  if (facts.level == ZoneLevel::kTemporary)
    return Keep("lifts_with_incident", "a temporary zone lifts when its incident closes");
  std::optional<LiftRule> rule = RuleFor(policy, facts);
  if (!rule) return Keep("lift_by_hand", "the policy has no lifting rule for this level");
  Micros anchor = facts.started_at;
  if (facts.last_positive_at && *facts.last_positive_at <= now)
    anchor = std::max(anchor, *facts.last_positive_at);
  Micros days_end = anchor + rule->days_without_positive * kDay;
  std::string since = "since " + FormatRfc3339(anchor);
  if (now < days_end)
    return Keep("counting_days",
                std::to_string((now - anchor) / kDay) + " of " +
                    std::to_string(rule->days_without_positive) + " days without a new positive " +
                    since,
                days_end);
  Micros effective = days_end;
  if (rule->all_negative_round_on_last_day) {
    auto round_at = AllNegativeRoundAt(facts, days_end, now);
    if (!round_at)
      return Keep("awaiting_round", "no new positive " + since +
                                        "; waiting for an all-negative round sampled on or after " +
                                        FormatRfc3339(days_end - kDay));
    effective = *round_at;
  }
  ZoneDecision d;
  d.effective_at = effective;
  std::string met = std::to_string(rule->days_without_positive) + " days without a new positive " +
                    since +
                    (rule->all_negative_round_on_last_day ? " and an all-negative round" : "");
  if (rule->then_level) {
    d.action = ZoneAction::kStepDown;
    d.step_down_to = rule->then_level;
    d.reason = {"stepped_down", met + ": " + std::string(ZoneLevelName(*rule->then_level)) +
                                    " for " + std::to_string(rule->then_days) + " days"};
  } else {
    d.action = ZoneAction::kLift;
    d.reason = {"lifted", met};
  }
  return d;
}

}  // namespace swabline::core
