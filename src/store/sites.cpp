#include "store/sites.hpp"

#include <algorithm>

#include "store/rounds.hpp"
#include "store/settings.hpp"

namespace swabline::store {

void InsertSiteHours(Tx& tx, std::int64_t site_id, const std::vector<core::HoursSpan>& hours) {
  for (const core::HoursSpan& span : hours) {
    auto q = tx.Query("INSERT INTO site_hours(site_id, from_minute, to_minute) VALUES (?, ?, ?)");
    q->Bind(1, site_id).Bind(2, span.from).Bind(3, span.to);
    q->RunOrThrow();
  }
}

std::vector<core::HoursSpan> FindSiteHours(Connection& db, std::int64_t site_id) {
  auto q = db.Query(
      "SELECT from_minute, to_minute FROM site_hours WHERE site_id = ? ORDER BY from_minute");
  q->Bind(1, site_id);
  std::vector<core::HoursSpan> out;
  while (q->Next() == Step::kRow)
    out.push_back({static_cast<int>(q->Int(0)), static_cast<int>(q->Int(1))});
  return out;
}

void InsertSiteLanes(Tx& tx, std::int64_t site_id, const std::vector<core::Lane>& lanes,
                     std::int64_t now) {
  for (core::Lane lane : lanes) {
    auto q =
        tx.Query("INSERT INTO site_lanes(site_id, lane, waiting, updated_at) VALUES (?, ?, 0, ?)");
    q->Bind(1, site_id).Bind(2, core::LaneName(lane)).Bind(3, now);
    q->RunOrThrow();
  }
}

std::vector<LaneRow> FindSiteLanes(Connection& db, std::int64_t site_id) {
  auto q = db.Query("SELECT lane, waiting FROM site_lanes WHERE site_id = ?");
  q->Bind(1, site_id);
  std::vector<LaneRow> out;
  while (q->Next() == Step::kRow)
    if (auto lane = core::ParseLane(q->Text(0))) out.push_back({*lane, q->Int(1)});
  std::sort(out.begin(), out.end(),
            [](const LaneRow& a, const LaneRow& b) { return a.lane < b.lane; });
  return out;
}

bool AddWaiting(Tx& tx, std::int64_t site_id, core::Lane lane, std::int64_t delta,
                std::int64_t now) {
  auto q = tx.Query(
      "UPDATE site_lanes SET waiting = MAX(0, waiting + ?), updated_at = ? WHERE site_id = ? AND "
      "lane = ?");
  q->Bind(1, delta).Bind(2, now).Bind(3, site_id).Bind(4, core::LaneName(lane));
  q->RunOrThrow();
  return tx.db().Changes() > 0;
}

void SetCollectors(Tx& tx, std::int64_t site_id, std::int64_t count) {
  auto q = tx.Query("UPDATE sites SET collectors = ? WHERE id = ?");
  q->Bind(1, count).Bind(2, site_id);
  q->RunOrThrow();
}

std::int64_t FindCollectors(Connection& db, std::int64_t site_id) {
  auto q = db.Query("SELECT collectors FROM sites WHERE id = ?");
  q->Bind(1, site_id);
  return q->Next() == Step::kRow ? q->Int(0) : 0;
}

SiteScans CountSiteScans(Connection& db, std::int64_t site_id, std::int64_t hour_start,
                         std::int64_t window_start) {
  // A tube sealed before the hour began holds no sample of the hour: the index on
  // (site_id, sealed_at) leaves only the site's open tubes and those sealed lately.
  auto q = db.Query(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.sampled_at >= ?3 THEN 1 ELSE 0 END), 0) FROM "
      "tubes t JOIN samples s ON "
      "s.tube_barcode = t.barcode WHERE t.site_id = ?1 AND (t.sealed_at IS NULL OR t.sealed_at "
      ">= ?2) AND s.sampled_at >= ?2 AND s.voided_at IS NULL");
  q->Bind(1, site_id).Bind(2, hour_start).Bind(3, window_start);
  SiteScans out;
  if (q->Next() == Step::kRow) out = {q->Int(0), q->Int(1)};
  return out;
}

std::optional<std::int64_t> LatestTubeCapacity(Connection& db, std::int64_t site_id) {
  auto q = db.Query(
      "SELECT capacity FROM tubes WHERE site_id = ? AND purpose = 'screening' ORDER BY opened_at "
      "DESC LIMIT 1");
  q->Bind(1, site_id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->Int(0);
}

SitesUnderRow CountSitesUnder(Connection& db, const std::string& id_path) {
  auto q = db.Query(
      "SELECT COUNT(*), COALESCE(SUM(s.collectors), 0) FROM sites s JOIN places p ON p.id = "
      "s.place_id WHERE p.id_path >= ? AND p.id_path < ?");
  q->Bind(1, id_path).Bind(2, SubtreeEnd(id_path));
  SitesUnderRow out;
  if (q->Next() == Step::kRow) out = {q->Int(0), q->Int(1)};
  return out;
}

namespace {
constexpr NumberMember kRateMembers[] = {{"swabs_per_hour_at_10"},
                                         {"seconds_per_tube"},
                                         {"residents_per_site", true},
                                         {"collectors_per_site", true}};
}  // namespace

std::optional<SamplingRatesRow> FindSamplingRates(Connection& db) {
  auto doc = FindNumberSetting(db, kSamplingRatesKey, kRateMembers);
  if (!doc) return std::nullopt;
  const auto& v = doc->values;
  return SamplingRatesRow{v[0],
                          v[1],
                          static_cast<std::int64_t>(v[2]),
                          static_cast<std::int64_t>(v[3]),
                          doc->updated_at,
                          doc->updated_by};
}

void PutSamplingRates(Tx& tx, const SamplingRatesRow& row) {
  const double values[] = {row.swabs_per_hour_at_10, row.seconds_per_tube,
                           static_cast<double>(row.residents_per_site),
                           static_cast<double>(row.collectors_per_site)};
  PutNumberSetting(tx, kSamplingRatesKey, kRateMembers, values, row.updated_at, row.updated_by);
}

}  // namespace swabline::store
