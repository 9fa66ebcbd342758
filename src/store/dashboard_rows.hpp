#pragma once
/// What the live dashboard's snapshot reads (service/dashboard.hpp): today's samples by site
/// and hour, and the times of tubes resulted lately, of the sites under a place.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

/// The id paths of the places of the sampling sites under `id_path`.
std::vector<std::string> SitePlaces(Connection& db, const std::string& id_path);

struct SiteHourCount {
  std::string site_id_path;  // of the site's place
  std::int64_t hour = 0;     // hours since `since`
  std::int64_t samples = 0;
};
/// Valid samples taken since `since` at the sites whose place lies under `id_path`, by site
/// and hour. Reads only the sites' open tubes and those sealed since (index tubes_site).
std::vector<SiteHourCount> SamplesByHour(Connection& db, const std::string& id_path,
                                         std::int64_t since);

struct ResultedTube {
  std::string site_id_path;
  std::int64_t first_sample_at = 0;
  std::int64_t resulted_at = 0;
  bool positive = false;
};
/// Tubes under `id_path` resulted since `since` that were sealed after `sealed_after` (which
/// bounds the read: an older tube is not today's news).
std::vector<ResultedTube> TubesResultedSince(Connection& db, const std::string& id_path,
                                             std::int64_t since, std::int64_t sealed_after);

struct PlaceName {
  std::int64_t id = 0;
  std::string name;
  std::string path;
};
/// The names of the places, in the order asked (unknown ids are left out).
std::vector<PlaceName> PlaceNames(Connection& db, const std::vector<std::int64_t>& ids);

}  // namespace swabline::store
