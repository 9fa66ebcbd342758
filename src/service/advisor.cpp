#include "service/advisor.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <utility>

#include "service/coverage.hpp"
#include "service/zone_policy.hpp"
#include "store/advisor_rows.hpp"
#include "store/audit.hpp"
#include "store/coverage_scan.hpp"
#include "store/places.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

core::Error Invalid(const char* field, const std::string& detail) {
  return core::Error(ErrorCode::kInvalidField, std::string(field) + ": " + detail)
      .With("field", field);
}

core::Assay AssayOf(const AssaySettings& s) { return {s.sensitivity, s.specificity, {}}; }

AssaySettings ReadAssay(store::Connection& db) {
  AssaySettings out;
  if (auto row = store::FindAssaySetting(db)) {
    out.sensitivity = row->sensitivity;
    out.specificity = row->specificity;
    out.max_pool_size = static_cast<int>(row->max_pool_size);
    out.updated_at = row->updated_at;
    out.updated_by = row->updated_by.value_or("");
  }
  return out;
}

/// The round's resulted screening pools under the scope, by size; a tube holding people of
/// two of the scope's subtrees counts once.
std::vector<PoolTally> CollectPools(store::Connection& db, std::int64_t round_id,
                                    const RoundScope& scope) {
  std::map<int, PoolTally> by_size;
  std::unordered_set<std::string> seen;
  for (const std::string& root : scope.roots)
    store::ScanResultedPools(db, round_id, root, [&](const store::PoolTubeRow& t) {
      if (!seen.emplace(t.barcode).second) return;
      PoolTally& tally = by_size[static_cast<int>(t.size)];
      tally.size = static_cast<int>(t.size);
      ++tally.tubes;
      tally.positive += t.positive;
    });
  std::vector<PoolTally> out;
  out.reserve(by_size.size());
  for (const auto& [size, tally] : by_size) out.push_back(tally);
  return out;
}

struct ZoneOver {
  std::string id_path;
  core::ZoneLevel level;
};

/// The subtrees to walk for zoned people: all of the scope's when a zone over the whole place
/// sets a size, else the outermost zoned places under it, cut to the scope's subtrees.
std::vector<std::string> ZonedRoots(const RoundScope& scope, bool whole_place_sized,
                                    const std::vector<ZoneOver>& under) {
  if (whole_place_sized) return scope.roots;
  std::vector<std::string> tops;
  tops.reserve(under.size());
  for (const ZoneOver& z : under) tops.push_back(z.id_path);
  std::sort(tops.begin(), tops.end());
  std::vector<std::string> out;
  std::string last_top;
  for (const std::string& z : tops) {
    if (!last_top.empty() && core::InSubtree(z, last_top)) continue;
    last_top = z;
    for (const std::string& root : scope.roots) {
      if (core::InSubtree(z, root))
        out.push_back(z);
      else if (core::InSubtree(root, z))
        out.push_back(root);
    }
  }
  return out;
}

/// How many of the scope's people live under active zones whose levels set a pool size, by
/// that size (PoolSizeFor over every level in force over their home).
std::map<int, std::int64_t> CountZoned(store::Connection& db, std::int64_t round_id,
                                       const RoundScope& scope, const core::ZonePolicy& policy) {
  const std::vector<core::ZoneLevel> over = ActiveZoneLevelsOver(db, scope.place.id_path);
  std::vector<ZoneOver> under;
  for (const store::ZoneRow& z : store::ListZoneRows(db, true, scope.place.id_path)) {
    auto level = core::ParseZoneLevel(z.level);
    auto place = store::FindPlace(db, z.place_id);
    if (level && place && z.place_id != scope.place.id) under.push_back({place->id_path, *level});
  }
  std::map<int, std::int64_t> counts;
  if (under.empty() && !core::PoolSizeFor(policy, over)) return counts;
  std::vector<core::ZoneLevel> levels;
  for (const std::string& root :
       ZonedRoots(scope, core::PoolSizeFor(policy, over).has_value(), under))
    store::ScanCoverage(db, round_id, root, [&](const store::CoverageRow& row) {
      levels = over;
      for (const ZoneOver& z : under)
        if (core::InSubtree(row.home_id_path, z.id_path)) levels.push_back(z.level);
      if (auto size = core::PoolSizeFor(policy, levels)) ++counts[*size];
    });
  return counts;
}

/// The largest round size at most both `size` and the dilution limit.
int WithinLimit(int size, int max_pool_size) {
  int out = 1;
  for (int k : core::kPoolSizes)
    if (k <= size && k <= max_pool_size) out = k;
  return out;
}

const core::PoolSizeOption& OptionOf(const core::PoolingAdvice& advice, int size) {
  for (const auto& o : advice.options)
    if (o.pool_size == size) return o;
  return advice.options.front();
}

core::Result<NextRound> PlanNextRound(double p, std::int64_t people,
                                      const std::map<int, std::int64_t>& zoned_counts,
                                      const AssaySettings& settings) {
  const core::Assay assay = AssayOf(settings);
  const core::DilutionLimit limit{settings.max_pool_size, 0};
  NextRound out;
  out.people = people;
  std::map<int, std::int64_t> zoned_by_size;
  for (const auto& [size, n] : zoned_counts)
    zoned_by_size[WithinLimit(size, settings.max_pool_size)] += n;
  std::int64_t unzoned = people;
  NextRoundOption zoned_total;
  for (const auto& [size, n] : zoned_by_size) {
    core::PoolingAdvice a;
    SWB_TRY_ASSIGN(a, core::AdvisePoolSize(p, n, assay, limit));
    const core::PoolSizeOption& o = OptionOf(a, size);
    out.zoned.push_back({size, n, o.tubes, o.retests});
    zoned_total.tubes += o.tubes;
    zoned_total.retests += o.retests;
    unzoned -= n;
  }
  unzoned = std::max<std::int64_t>(unzoned, 0);
  core::PoolingAdvice advice;
  SWB_TRY_ASSIGN(advice, core::AdvisePoolSize(p, unzoned, assay, limit));
  for (const core::PoolSizeOption& o : advice.options) {
    if (!o.allowed) continue;
    NextRoundOption option{o.pool_size, o.tests_per_person, o.tubes + zoned_total.tubes,
                           o.retests + zoned_total.retests, 0};
    option.kits = static_cast<double>(people) + option.retests;
    out.options.push_back(option);
    if (o.pool_size != advice.recommended_pool_size) continue;
    out.pool_size = o.pool_size;
    out.tubes = option.tubes;
    out.retests = option.retests;
    out.kits = option.kits;
  }
  out.tests_per_person =
      people > 0 ? (static_cast<double>(out.tubes) + out.retests) / static_cast<double>(people)
                 : core::TestsPerPerson(p, out.pool_size, assay);
  return out;
}

}  // namespace

core::Result<AssaySettings> GetAssaySettings(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  return ReadAssay(db);
}

core::Result<AssaySettings> PutAssaySettings(store::Tx& tx, const Env& env, const Actor& actor,
                                             double sensitivity, double specificity,
                                             int max_pool_size) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(ErrorCode::kForbidden, "only an admin changes the assay");
  auto in_unit = [](double v) { return v > 0 && v <= 1; };  // false for NaN
  if (!in_unit(sensitivity)) return Invalid("sensitivity", "must be in (0, 1]");
  if (!in_unit(specificity)) return Invalid("specificity", "must be in (0, 1]");
  if (sensitivity + specificity <= 1)
    return Invalid("specificity",
                   "with the sensitivity it must exceed 1 (else a result says nothing)");
  if (max_pool_size < 1 || max_pool_size > 20) return Invalid("max_pool_size", "must be 1 to 20");
  const core::Micros now = env.clock.Now();
  store::PutAssaySetting(tx, {sensitivity, specificity, max_pool_size, now, actor.username});
  store::AppendAudit(
      tx, now,
      {actor.username, "settings.assay", "setting", store::kAssaySettingKey,
       "sensitivity " + std::to_string(sensitivity) + ", specificity " +
           std::to_string(specificity) + ", max_pool_size " + std::to_string(max_pool_size)});
  return ReadAssay(tx.db());
}

core::Result<PoolingAdvisorView> GetPoolingAdvisor(store::Connection& db, const Actor& actor,
                                                   std::int64_t round_id,
                                                   std::optional<std::int64_t> place_id) {
  RoundScope scope;
  SWB_TRY_ASSIGN(scope, ResolveRoundScope(db, actor, round_id, place_id));
  PoolingAdvisorView out;
  out.round_id = round_id;
  out.place_id = scope.place.id;
  out.place_name = scope.place.name;
  out.assay = ReadAssay(db);
  out.pools = CollectPools(db, round_id, scope);
  if (out.pools.empty()) {
    out.reason = "no_resulted_pools";
    return out;
  }
  std::vector<core::PoolGroup> groups;
  for (const PoolTally& t : out.pools)
    groups.push_back({t.size, static_cast<int>(t.tubes), static_cast<int>(t.positive)});
  core::PrevalenceEstimate estimate;
  SWB_TRY_ASSIGN(estimate, core::EstimatePrevalence(groups, AssayOf(out.assay)));
  out.prevalence = estimate;
  Coverage coverage;
  SWB_TRY_ASSIGN(coverage, GetCoverage(db, actor, round_id, scope.place.id));
  NextRound next;
  SWB_TRY_ASSIGN(next,
                 PlanNextRound(estimate.prevalence, coverage.total.expected,
                               CountZoned(db, round_id, scope, LoadZonePolicy(db)), out.assay));
  out.next_round = std::move(next);
  return out;
}

}  // namespace swabline::service
