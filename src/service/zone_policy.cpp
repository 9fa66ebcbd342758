#include "service/zone_policy.hpp"

#include "store/audit.hpp"
#include "store/settings.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

constexpr std::string_view kKey = "zone_policy";

std::string Text(const core::PolicyEntry& e) {
  if (const auto* b = std::get_if<bool>(&e.value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&e.value)) return std::to_string(*i);
  return std::get<std::string>(e.value);
}

/// The audit detail: every leaf, "key=value" joined by spaces (a dozen short pairs).
std::string Summary(const core::ZonePolicy& policy) {
  std::string out;
  for (const core::PolicyEntry& e : core::ZonePolicyEntries(policy))
    out += (out.empty() ? "" : " ") + e.key + "=" + Text(e);
  return out;
}

}  // namespace

core::ZonePolicy LoadZonePolicy(store::Connection& db) {
  auto leaves = store::FindSettingLeaves(db, kKey);
  if (!leaves) return core::DefaultZonePolicy();
  std::vector<core::PolicyEntry> entries;
  for (store::SettingLeaf& leaf : *leaves)
    entries.push_back({std::move(leaf.key), std::move(leaf.value)});
  auto policy = core::ZonePolicyFromEntries(entries);
  return policy.ok() ? *policy : core::DefaultZonePolicy();
}

std::vector<core::ZoneLevel> ActiveZoneLevelsOver(store::Connection& db,
                                                  std::string_view place_id_path) {
  std::vector<core::ZoneLevel> out;
  for (const std::string& name : store::ActiveLevelsOver(db, place_id_path))
    if (auto level = core::ParseZoneLevel(name)) out.push_back(*level);
  return out;
}

std::optional<int> ZonedPoolSize(store::Connection& db, std::string_view place_id_path) {
  const std::vector<core::ZoneLevel> levels = ActiveZoneLevelsOver(db, place_id_path);
  if (levels.empty()) return std::nullopt;  // the policy is not even read
  return core::PoolSizeFor(LoadZonePolicy(db), levels);
}

core::Result<core::ZonePolicy> GetZonePolicy(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  return LoadZonePolicy(db);
}

core::Result<core::ZonePolicy> SaveZonePolicy(store::Tx& tx, const Env& env, const Actor& actor,
                                              std::span<const core::PolicyEntry> entries) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(core::ErrorCode::kForbidden, "only an admin may change the zone policy");
  core::ZonePolicy policy;
  SWB_TRY_ASSIGN(policy, core::ZonePolicyFromEntries(entries));
  std::vector<store::SettingLeaf> leaves;
  for (core::PolicyEntry& e : core::ZonePolicyEntries(policy))
    leaves.push_back({std::move(e.key), std::move(e.value)});
  const core::Micros now = env.clock.Now();
  store::PutSetting(tx, kKey, leaves, now, actor.username);
  store::AppendAudit(
      tx, now, {actor.username, "setting.change", "setting", std::string(kKey), Summary(policy)});
  return policy;
}

core::HowZonesLiftWords HowZonesLift(const core::ZonePolicy& policy) {
  core::HowZonesLiftWords out;
  for (core::ZoneLevel level : {core::ZoneLevel::kSealed, core::ZoneLevel::kControlled,
                                core::ZoneLevel::kPrevention, core::ZoneLevel::kTemporary})
    out[level] = core::HowZoneLifts(policy, level);
  return out;
}

}  // namespace swabline::service
