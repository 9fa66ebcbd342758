#include "service/dashboard.hpp"

#include <algorithm>
#include <map>

#include "core/live_event.hpp"
#include "core/turnaround.hpp"
#include "service/place_scope.hpp"
#include "store/dashboard_rows.hpp"
#include "store/incidents.hpp"
#include "store/requests.hpp"
#include "store/tasks.hpp"
#include "store/zones.hpp"

namespace swabline::service {
namespace {

constexpr core::Micros kMinuteMicros = 60LL * 1'000'000;
constexpr core::Micros kHourMicros = 60 * kMinuteMicros;
constexpr core::Micros kDayMicros = 24 * kHourMicros;
/// Tubes sealed longer ago than this are not looked at for today's turnaround.
constexpr core::Micros kTurnaroundLookback = 3 * kDayMicros;
constexpr int kCountLimit = 100'000;

/// The community a site's place belongs to: its ancestor at depth 2, or the place itself
/// when it lies above a community.
std::int64_t CommunityOf(const std::string& id_path) {
  const core::PlaceIds ids = core::PlaceIdsOf(id_path);
  if (ids[2] != 0) return ids[2];
  std::int64_t last = 0;
  for (std::int64_t id : ids)
    if (id != 0) last = id;
  return last;
}

void AddSamples(store::Connection& db, const std::string& id_path, core::Micros day_start,
                std::map<std::int64_t, DashboardCommunity>& by_id) {
  // Every community with a sampling site is listed, sampled today or not: a community at
  // zero after midnight is what the command centre must see, not a row that is missing.
  for (const std::string& site_place : store::SitePlaces(db, id_path))
    by_id.try_emplace(CommunityOf(site_place));
  for (const store::SiteHourCount& c : store::SamplesByHour(db, id_path, day_start)) {
    DashboardCommunity& community = by_id[CommunityOf(c.site_id_path)];
    if (c.hour >= 0 && c.hour < 24)
      community.samples_by_hour[static_cast<std::size_t>(c.hour)] += c.samples;
    community.samples += c.samples;
  }
}

void AddResults(store::Connection& db, const std::string& id_path, core::Micros day_start,
                Dashboard& out, std::map<std::int64_t, DashboardCommunity>& by_id) {
  std::vector<double> hours;
  for (const store::ResultedTube& t :
       store::TubesResultedSince(db, id_path, day_start, day_start - kTurnaroundLookback)) {
    hours.push_back(static_cast<double>(t.resulted_at - t.first_sample_at) /
                    static_cast<double>(kHourMicros));
    ++out.resulted_tubes;
    if (t.positive) {
      ++out.positives;
      ++by_id[CommunityOf(t.site_id_path)].positives;
    }
  }
  out.p50_hours = core::Quantile(hours, 0.5);
  out.p90_hours = core::Quantile(hours, 0.9);
  out.p99_hours = core::Quantile(hours, 0.99);
}

void AddCommunities(store::Connection& db, Dashboard& out,
                    std::map<std::int64_t, DashboardCommunity>& by_id) {
  std::vector<std::int64_t> ids;
  ids.reserve(by_id.size());
  for (const auto& [id, c] : by_id) ids.push_back(id);
  for (store::PlaceName& name : store::PlaceNames(db, ids)) {
    DashboardCommunity& c = by_id[name.id];
    c.id = name.id;
    c.name = std::move(name.name);
    c.path = std::move(name.path);
    out.samples += c.samples;
    out.communities.push_back(std::move(c));
  }
  std::sort(out.communities.begin(), out.communities.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
}

void AddFollowUp(store::Connection& db, const std::string& id_path, core::Micros now,
                 Dashboard& out) {
  store::IncidentFilter incidents;
  incidents.status = "open";
  incidents.under_id_path = id_path;
  incidents.limit = kCountLimit;
  const auto rows = store::ListIncidentRows(db, incidents);
  out.open_incidents_total = static_cast<std::int64_t>(rows.size());
  for (std::size_t i = 0; i < rows.size() && i < Dashboard::kMaxIncidents; ++i)
    out.open_incidents.push_back(
        {rows[i].id, rows[i].kind, rows[i].opened_at,
         static_cast<double>(now - rows[i].opened_at) / static_cast<double>(kHourMicros)});
  for (const store::ZoneRow& z : store::ListZoneRows(db, true, id_path)) {
    ++out.zones_in_force;
    if (z.level == "sealed") ++out.zones_sealed;
  }
  store::TaskFilter tasks;
  tasks.status = "open";
  tasks.overdue_at = now;
  tasks.under_id_path = id_path;
  out.overdue_tasks = static_cast<std::int64_t>(store::ListTaskRows(db, tasks).size());
  store::RequestFilter requests;
  requests.status = "open";
  requests.under_id_path = id_path;
  requests.limit = kCountLimit;
  out.open_requests = static_cast<std::int64_t>(store::ListRequestRows(db, requests).size());
  requests.overdue_at = now;
  out.overdue_requests = static_cast<std::int64_t>(store::ListRequestRows(db, requests).size());
}

}  // namespace

core::Micros LocalDayStart(core::Micros now, int utc_offset_minutes) {
  const core::Micros offset = utc_offset_minutes * kMinuteMicros;
  const core::Micros local = now + offset;
  core::Micros day = local / kDayMicros;
  if (local < 0 && local % kDayMicros != 0) --day;
  return day * kDayMicros - offset;
}

core::Result<Dashboard> GetDashboard(store::Connection& db, const Env& env, const Actor& actor,
                                     std::optional<std::int64_t> place_id,
                                     std::uint64_t last_event_id) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  std::string id_path;
  SWB_TRY_ASSIGN(id_path, ListedIdPath(db, actor, place_id));
  Dashboard out;
  out.generated_at = env.clock.Now();
  out.day_start = LocalDayStart(out.generated_at, env.utc_offset_minutes);
  out.last_event_id = last_event_id;
  std::map<std::int64_t, DashboardCommunity> by_id;
  AddSamples(db, id_path, out.day_start, by_id);
  AddResults(db, id_path, out.day_start, out, by_id);
  AddCommunities(db, out, by_id);
  AddFollowUp(db, id_path, out.generated_at, out);
  return out;
}

}  // namespace swabline::service
