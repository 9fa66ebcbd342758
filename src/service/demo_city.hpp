#pragma once
/// A synthetic city for demos, tests and benchmarks: Chinese names and addresses, valid ID
/// numbers, realistic tags, as resident-import CSV. Deterministic for a given seed.

#include <cstdint>
#include <string>

#include "core/civil_time.hpp"

namespace swabline::service {

struct CityShape {
  int streets = 2;
  int communities_per_street = 3;
  int buildings_per_community = 10;
  int units_per_building = 3;
  int floors = 6;
  int rooms_per_floor = 4;
  double people_per_room = 2.9;
};

/// The import CSV (with header) of a city of the given shape under 朝阳区.
std::string DemoCityCsv(const CityShape& shape, std::uint64_t seed, core::CivilDate today);

/// The path of the first community, "朝阳区/和平街街道/小黄庄社区".
std::string FirstCommunityPath();

}  // namespace swabline::service
