#include "service/sites.hpp"

#include <algorithm>
#include <array>

#include "service/page.hpp"
#include "service/place_scope.hpp"
#include "service/planning.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/rounds.hpp"
#include "store/sites.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

constexpr int kWindowMinutes = 60;
constexpr int kWindowFloorMinutes = 10;
constexpr core::Micros kMinute = 60'000'000;

Site SiteOf(store::Connection& db, store::SiteRow s) {
  Site out{s.id, std::move(s.name), s.place_id, std::move(s.place_path), {}, {}};
  out.hours = store::FindSiteHours(db, s.id);
  for (const auto& lane : store::FindSiteLanes(db, s.id)) out.lanes.push_back(lane.lane);
  return out;
}

SitePage PageOf(store::Connection& db, std::vector<store::SiteRow> rows, int limit) {
  SitePage page;
  page.next_cursor = CutPage(rows, limit);
  for (auto& s : rows) page.sites.push_back(SiteOf(db, std::move(s)));
  return page;
}

/// The site, which must lie in the actor's places and may be counted by them.
core::Result<store::SiteRow> CountableSite(store::Connection& db, const Actor& actor,
                                           std::int64_t site_id) {
  SWB_TRY(Require(actor, core::Permission::kCountQueue));
  auto site = store::FindSite(db, site_id);
  if (!site)
    return core::Fail(ErrorCode::kUnknownSite, "no site with id " + std::to_string(site_id));
  SWB_TRY(RequireInScope(actor, site->place_id_path));
  return std::move(*site);
}

std::string HoursText(const std::vector<core::HoursSpan>& hours) {
  std::string out;
  for (const auto& h : hours)
    out += (out.empty() ? "" : ",") + core::FormatClock(h.from) + "-" + core::FormatClock(h.to);
  return out.empty() ? "always" : out;
}

}  // namespace

std::string_view RateSourceName(RateSource source) {
  constexpr std::array<std::string_view, 3> kNames = {"scans", "collectors", "none"};
  return kNames[static_cast<std::size_t>(source)];
}

core::Result<Site> CreateSite(store::Tx& tx, const Env& env, const Actor& actor,
                              const NewSite& in) {
  SWB_TRY(Require(actor, core::Permission::kManageSites));
  if (in.name.empty())
    return core::Fail(ErrorCode::kMissingField, "a site needs a name").With("field", "name");
  std::vector<core::HoursSpan> hours;
  SWB_TRY_ASSIGN(hours, core::ParseHours(in.hours));
  std::vector<core::Lane> lanes;
  SWB_TRY_ASSIGN(lanes, core::ParseLanes(in.lanes));
  SWB_TRY(ScopedPlace(tx.db(), actor, in.place_id));
  const core::Micros now = env.clock.Now();
  const std::int64_t id = store::InsertSite(tx, in.name, in.place_id, now);
  store::InsertSiteHours(tx, id, hours);
  store::InsertSiteLanes(tx, id, lanes, now);
  store::AppendAudit(tx, now,
                     {actor.username, "site.create", "site", std::to_string(id),
                      in.name + "; hours " + HoursText(hours)});
  return SiteOf(tx.db(), *store::FindSite(tx.db(), id));
}

core::Result<Site> CreateSite(store::Tx& tx, const Env& env, const Actor& actor,
                              const std::string& name, std::int64_t place_id) {
  return CreateSite(tx, env, actor, NewSite{name, place_id, {}, {}});
}

core::Result<SitePage> ListSites(store::Connection& db, const Actor& actor,
                                 std::optional<std::int64_t> place_id, std::int64_t after_id,
                                 int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  std::string id_path;
  SWB_TRY_ASSIGN(id_path, ListedIdPath(db, actor, place_id));
  limit = std::max(limit, 1);
  return PageOf(db, store::ListSitesUnder(db, id_path, after_id, limit + 1), limit);
}

core::Result<SitePage> ListPublicSites(store::Connection& db, std::optional<std::int64_t> place_id,
                                       std::int64_t after_id, int limit) {
  std::string id_path = "/";
  if (place_id) {
    auto place = store::FindPlace(db, *place_id);
    if (!place)
      return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(*place_id));
    id_path = place->id_path;
  }
  limit = std::max(limit, 1);
  return PageOf(db, store::ListSitesUnder(db, id_path, after_id, limit + 1), limit);
}

core::Result<SiteQueue> GetSiteQueue(store::Connection& db, const Env& env, std::int64_t site_id) {
  if (!store::FindSite(db, site_id))
    return core::Fail(ErrorCode::kUnknownSite, "no site with id " + std::to_string(site_id));
  const core::Micros now = env.clock.Now();
  const int minute = core::LocalMinuteOfDay(now, env.utc_offset_minutes);
  const auto hours = store::FindSiteHours(db, site_id);
  SiteQueue q;
  q.site_id = site_id;
  q.open_now = core::IsOpenAt(hours, minute);
  q.window_minutes =
      core::ThroughputWindowMinutes(hours, minute, kWindowMinutes, kWindowFloorMinutes);
  const auto scans = store::CountSiteScans(db, site_id, now - kWindowMinutes * kMinute,
                                           now - q.window_minutes * kMinute);
  q.samples_last_hour = scans.since_hour;
  q.collectors = store::FindCollectors(db, site_id);
  const int pool = static_cast<int>(store::LatestTubeCapacity(db, site_id).value_or(10));
  const SamplingRates rates = ReadSamplingRates(db);
  const double per_collector =
      core::SwabsPerCollectorHour(rates.swabs_per_hour_at_10, rates.seconds_per_tube, pool);
  q.rate_per_hour = core::SiteRatePerHour(scans.since_window, q.window_minutes,
                                          static_cast<int>(q.collectors), per_collector);
  q.rate_source = scans.since_window > 0 ? RateSource::kScans
                  : q.rate_per_hour > 0  ? RateSource::kCollectors
                                         : RateSource::kNone;
  if (q.rate_source != RateSource::kScans) q.window_minutes = kWindowMinutes;
  std::vector<core::LaneWait> lanes;
  for (const auto& l : store::FindSiteLanes(db, site_id)) lanes.push_back({l.lane, l.waiting, {}});
  q.lanes = core::EstimateWaits(lanes, q.rate_per_hour);
  return q;
}

core::Result<SiteQueue> CountQueue(store::Tx& tx, const Env& env, const Actor& actor,
                                   std::int64_t site_id, const std::string& lane,
                                   std::int64_t delta) {
  SWB_TRY(CountableSite(tx.db(), actor, site_id));
  if (delta < -1000 || delta > 1000)
    return core::Fail(ErrorCode::kInvalidField, "delta must be between -1000 and 1000")
        .With("field", "delta");
  auto parsed = core::ParseLane(lane);
  if (!parsed || !store::AddWaiting(tx, site_id, *parsed, delta, env.clock.Now()))
    return core::Fail(ErrorCode::kUnknownLane,
                      "site " + std::to_string(site_id) + " has no lane '" + lane + "'")
        .With("field", "lane")
        .With("lane", lane);
  // Not audited: a head count changes every few seconds and names nobody.
  return GetSiteQueue(tx.db(), env, site_id);
}

core::Result<SiteQueue> SetCollectors(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t site_id, std::int64_t count) {
  SWB_TRY(CountableSite(tx.db(), actor, site_id));
  if (count < 0 || count > 500)
    return core::Fail(ErrorCode::kInvalidField, "count must be between 0 and 500")
        .With("field", "count");
  store::SetCollectors(tx, site_id, count);
  store::AppendAudit(tx, env.clock.Now(),
                     {actor.username, "site.collectors", "site", std::to_string(site_id),
                      "collectors=" + std::to_string(count)});
  return GetSiteQueue(tx.db(), env, site_id);
}

}  // namespace swabline::service
