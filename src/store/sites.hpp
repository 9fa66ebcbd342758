#pragma once
/// A sampling site's opening hours, lanes and queue, collectors on shift and recent scans,
/// and the sampling rates an admin sets for planning (the settings row "sampling_rates").

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/site_queue.hpp"
#include "store/connection.hpp"

namespace swabline::store {

/// Replaces nothing: for a new site only.
void InsertSiteHours(Tx& tx, std::int64_t site_id, const std::vector<core::HoursSpan>& hours);
/// By start.
std::vector<core::HoursSpan> FindSiteHours(Connection& db, std::int64_t site_id);

/// Opens the lanes with nobody waiting. For a new site only.
void InsertSiteLanes(Tx& tx, std::int64_t site_id, const std::vector<core::Lane>& lanes,
                     std::int64_t now);

struct LaneRow {
  core::Lane lane = core::Lane::kGeneral;
  std::int64_t waiting = 0;
};
/// In service order (green first).
std::vector<LaneRow> FindSiteLanes(Connection& db, std::int64_t site_id);

/// Adds `delta` people to the lane's queue, never below 0. False when the site has no such
/// lane.
bool AddWaiting(Tx& tx, std::int64_t site_id, core::Lane lane, std::int64_t delta,
                std::int64_t now);

void SetCollectors(Tx& tx, std::int64_t site_id, std::int64_t count);
std::int64_t FindCollectors(Connection& db, std::int64_t site_id);

struct SiteScans {
  std::int64_t since_hour = 0;    // valid samples scanned at the site since `hour_start`
  std::int64_t since_window = 0;  // of those, since `window_start` (not before `hour_start`)
};
SiteScans CountSiteScans(Connection& db, std::int64_t site_id, std::int64_t hour_start,
                         std::int64_t window_start);

/// The capacity of the tube opened last at the site (its pool size), if any.
std::optional<std::int64_t> LatestTubeCapacity(Connection& db, std::int64_t site_id);

struct SitesUnderRow {
  std::int64_t sites = 0;
  std::int64_t collectors = 0;  // on shift at those sites
};
SitesUnderRow CountSitesUnder(Connection& db, const std::string& id_path);

inline constexpr const char* kSamplingRatesKey = "sampling_rates";

struct SamplingRatesRow {
  double swabs_per_hour_at_10 = 0;
  double seconds_per_tube = 0;
  std::int64_t residents_per_site = 0;
  std::int64_t collectors_per_site = 0;
  std::int64_t updated_at = 0;
  std::optional<std::string> updated_by;
};

/// The stored rates, or nullopt when none was stored or a member is missing or of the wrong
/// type (the caller then uses the built-in defaults).
std::optional<SamplingRatesRow> FindSamplingRates(Connection& db);
/// Stores the rates, replacing any before.
void PutSamplingRates(Tx& tx, const SamplingRatesRow& row);

}  // namespace swabline::store
