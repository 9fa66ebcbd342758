#include "service/planning.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/place.hpp"
#include "core/site_queue.hpp"
#include "service/coverage.hpp"
#include "store/audit.hpp"
#include "store/coverage_tallies.hpp"
#include "store/places.hpp"
#include "store/rounds.hpp"
#include "store/sites.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

core::Error Invalid(const char* field, const std::string& detail) {
  return core::Error(ErrorCode::kInvalidField, std::string(field) + ": " + detail)
      .With("field", field);
}

/// "/1/5/23/" → 23.
std::int64_t LastId(const std::string& id_path) {
  const auto end = id_path.size() - 1;
  const auto start = id_path.rfind('/', end - 1) + 1;
  return std::stoll(id_path.substr(start, end - start));
}

/// The subtrees to plan for: as the coverage counts them when a place is named or the actor
/// is scoped, else each of the round's places (none nested in another).
core::Result<std::vector<std::string>> PlanRoots(store::Connection& db, const Actor& actor,
                                                 std::int64_t round_id,
                                                 std::optional<std::int64_t> place_id) {
  if (place_id || actor.scope_place_id) {
    RoundScope scope;
    SWB_TRY_ASSIGN(scope, ResolveRoundScope(db, actor, round_id, place_id));
    return scope.roots;
  }
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  if (!store::FindRound(db, round_id))
    return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(round_id));
  auto roots = store::RoundPlaceIdPaths(db, round_id);
  std::sort(roots.begin(), roots.end());
  std::vector<std::string> kept;
  for (auto& r : roots)
    if (kept.empty() || !core::InSubtree(r, kept.back())) kept.push_back(std::move(r));
  return kept;
}

std::int64_t CeilDiv(double a, double b) {
  return b > 0 ? static_cast<std::int64_t>(std::ceil(a / b - 1e-9)) : 0;
}

void Need(PlanRow& row, const RoundPlan& plan) {
  row.remaining = std::max<std::int64_t>(row.residents - row.sampled, 0);
  if (row.remaining == 0) return;
  row.collectors_needed =
      CeilDiv(static_cast<double>(row.remaining), plan.swabs_per_collector_hour * plan.hours);
  row.sites_needed = std::max(CeilDiv(static_cast<double>(row.residents),
                                      static_cast<double>(plan.rates.residents_per_site)),
                              CeilDiv(static_cast<double>(row.collectors_needed),
                                      static_cast<double>(plan.rates.collectors_per_site)));
}

}  // namespace

SamplingRates ReadSamplingRates(store::Connection& db) {
  SamplingRates out;
  if (auto row = store::FindSamplingRates(db);
      row && core::ValidRates(row->swabs_per_hour_at_10, row->seconds_per_tube)) {
    out.swabs_per_hour_at_10 = row->swabs_per_hour_at_10;
    out.seconds_per_tube = row->seconds_per_tube;
    out.residents_per_site = std::max<std::int64_t>(row->residents_per_site, 1);
    out.collectors_per_site = std::max<std::int64_t>(row->collectors_per_site, 1);
    out.updated_at = row->updated_at;
    out.updated_by = row->updated_by.value_or("");
  }
  return out;
}

core::Result<SamplingRates> GetSamplingRates(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  return ReadSamplingRates(db);
}

core::Result<SamplingRates> PutSamplingRates(store::Tx& tx, const Env& env, const Actor& actor,
                                             const SamplingRates& in) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(ErrorCode::kForbidden, "only an admin changes the sampling rates");
  if (!(in.swabs_per_hour_at_10 > 0 && in.swabs_per_hour_at_10 <= 1000))
    return Invalid("swabs_per_hour_at_10", "must be in (0, 1000]");
  if (!core::ValidRates(in.swabs_per_hour_at_10, in.seconds_per_tube))
    return Invalid("seconds_per_tube",
                   "must be 0 to 600 and leave over a second a person for the swab itself");
  if (in.residents_per_site < 1 || in.residents_per_site > 1'000'000)
    return Invalid("residents_per_site", "must be 1 to 1000000");
  if (in.collectors_per_site < 1 || in.collectors_per_site > 500)
    return Invalid("collectors_per_site", "must be 1 to 500");
  const core::Micros now = env.clock.Now();
  store::PutSamplingRates(tx, {in.swabs_per_hour_at_10, in.seconds_per_tube, in.residents_per_site,
                               in.collectors_per_site, now, actor.username});
  store::AppendAudit(
      tx, now,
      {actor.username, "settings.sampling_rates", "setting", store::kSamplingRatesKey,
       "swabs_per_hour_at_10 " + std::to_string(in.swabs_per_hour_at_10) + ", seconds_per_tube " +
           std::to_string(in.seconds_per_tube) + ", residents_per_site " +
           std::to_string(in.residents_per_site) + ", collectors_per_site " +
           std::to_string(in.collectors_per_site)});
  return ReadSamplingRates(tx.db());
}

core::Result<RoundPlan> PlanRound(store::Connection& db, const Actor& actor, std::int64_t round_id,
                                  double hours, std::optional<std::int64_t> place_id) {
  std::vector<std::string> roots;
  SWB_TRY_ASSIGN(roots, PlanRoots(db, actor, round_id, place_id));
  if (!(hours > 0 && hours <= 240)) return Invalid("hours", "must be in (0, 240]");
  RoundPlan plan;
  plan.round_id = round_id;
  plan.hours = hours;
  plan.pool_size = store::FindRound(db, round_id)->pool_size;
  plan.rates = ReadSamplingRates(db);
  plan.swabs_per_collector_hour = core::SwabsPerCollectorHour(
      plan.rates.swabs_per_hour_at_10, plan.rates.seconds_per_tube, plan.pool_size);
  for (const std::string& root : roots) {
    PlanRow row;
    row.place_id = LastId(root);
    if (auto place = store::FindPlace(db, row.place_id)) row.name = place->name;
    store::ScanTallies(db, round_id, root, [&](const store::TallyRow& t) {
      row.residents += t.residents;
      row.sampled += t.sampled;
    });
    const auto sites = store::CountSitesUnder(db, root);
    row.sites = sites.sites;
    row.collectors = sites.collectors;
    Need(row, plan);
    plan.total.residents += row.residents;
    plan.total.sampled += row.sampled;
    plan.total.sites += row.sites;
    plan.total.collectors += row.collectors;
    plan.total.collectors_needed += row.collectors_needed;
    plan.total.sites_needed += row.sites_needed;
    plan.places.push_back(std::move(row));
  }
  plan.total.remaining = std::max<std::int64_t>(plan.total.residents - plan.total.sampled, 0);
  return plan;
}

}  // namespace swabline::service
