#include "core/place.hpp"

#include <array>

#include "core/text.hpp"

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 6> kKindNames = {"district", "street", "community",
                                                        "building", "unit",   "room"};

}  // namespace

std::string_view PlaceKindName(PlaceKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<PlaceKind> ParsePlaceKind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<PlaceKind>(i);
  return std::nullopt;
}

std::optional<PlaceKind> KindAtDepth(std::size_t depth) {
  if (depth >= kKindNames.size()) return std::nullopt;
  return static_cast<PlaceKind>(depth);
}

Result<std::string> CanonicalPlacePath(std::string_view path) {
  std::vector<std::string> names;
  SWB_TRY_ASSIGN(names, SplitPlacePath(path));
  std::string canonical;
  for (const auto& n : names) {
    if (!canonical.empty()) canonical += '/';
    canonical += n;
  }
  return canonical;
}

std::vector<std::int64_t> IdsAlong(std::string_view id_path) {
  std::vector<std::int64_t> ids;
  std::int64_t current = 0;
  bool in_number = false;
  for (char c : id_path) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      in_number = true;
    } else if (in_number) {
      ids.push_back(current);
      current = 0;
      in_number = false;
    }
  }
  if (in_number) ids.push_back(current);
  return ids;
}

Result<std::vector<std::string>> SplitPlacePath(std::string_view path) {
  std::vector<std::string> parts;
  path = TrimBlanks(path);
  if (path.empty()) return Fail(ErrorCode::kInvalidPlacePath, "the place path is empty");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = TrimBlanks(path.substr(start, slash - start));
    if (part.empty())
      return Fail(ErrorCode::kInvalidPlacePath,
                  "the place path '" + std::string(path) + "' has an empty level");
    parts.emplace_back(part);
    start = slash + 1;
  }
  if (parts.size() > kKindNames.size())
    return Fail(ErrorCode::kInvalidPlacePath,
                "a place path has at most 6 levels (district/street/community/building/unit/room)");
  return parts;
}

}  // namespace swabline::core
