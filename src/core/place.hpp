#pragma once
/// The registry's place tree: district → street → community → building → unit → room.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace swabline::core {

enum class PlaceKind { kDistrict, kStreet, kCommunity, kBuilding, kUnit, kRoom };

std::string_view PlaceKindName(PlaceKind kind);
std::optional<PlaceKind> ParsePlaceKind(std::string_view name);
/// The kind of the place at `depth` (0 = district) in a path; nullopt past a room.
std::optional<PlaceKind> KindAtDepth(std::size_t depth);

struct Place {
  std::int64_t id = 0;
  PlaceKind kind = PlaceKind::kDistrict;
  std::string name;
  std::string path;     // "朝阳区/和平街街道/小黄庄社区/3号楼"
  std::string id_path;  // "/1/5/23/40/": ancestors' ids and its own, for subtree tests
  std::optional<std::int64_t> parent_id;
};

/// Splits "A/B/C" into its names, trimming spaces around each. Fails with kInvalidPlacePath
/// for an empty path, an empty segment, a name holding '/', or more than six levels.
Result<std::vector<std::string>> SplitPlacePath(std::string_view path);

/// "A / B/C" → "A/B/C": the path as places store it. Fails as SplitPlacePath does.
Result<std::string> CanonicalPlacePath(std::string_view path);

/// The ids along an id_path, root first: "/1/5/23/" → {1, 5, 23}.
std::vector<std::int64_t> IdsAlong(std::string_view id_path);

/// True when `id_path` lies in the subtree whose root has `scope_id_path`.
inline bool InSubtree(std::string_view id_path, std::string_view scope_id_path) {
  return id_path.substr(0, scope_id_path.size()) == scope_id_path;
}

}  // namespace swabline::core
