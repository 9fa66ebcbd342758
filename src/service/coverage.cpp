#include "service/coverage.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/document.hpp"
#include "core/natural_order.hpp"
#include "service/registry.hpp"
#include "store/coverage_scan.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/rounds.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

struct Scope {
  core::Place place;
  std::vector<std::string> roots;  // the subtrees to scan: place ∩ round places
};

core::Result<Scope> ResolveScope(store::Connection& db, const Actor& actor, std::int64_t round_id,
                                 std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  auto round = store::FindRound(db, round_id);
  if (!round) return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(round_id));
  Scope scope;
  std::optional<core::Place> place;
  if (place_id) {
    place = store::FindPlace(db, *place_id);
    if (!place) return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(*place_id));
  } else if (actor.scope_place_id) {
    place = store::FindPlace(db, *actor.scope_place_id);
  } else if (round->place_ids.size() == 1) {
    place = store::FindPlace(db, round->place_ids.front());
  } else {
    return core::Fail(ErrorCode::kMissingField, "name the place_id to count for this round")
        .With("field", "place_id");
  }
  if (!place) return core::Fail(ErrorCode::kUnknownPlace, "the place is gone");
  SWB_TRY(RequireInScope(actor, place->id_path));
  scope.place = std::move(*place);
  for (const auto& rp : store::RoundPlaceIdPaths(db, round_id)) {
    if (core::InSubtree(scope.place.id_path, rp)) {
      scope.roots = {scope.place.id_path};  // the whole place is in the round
      break;
    }
    if (core::InSubtree(rp, scope.place.id_path)) scope.roots.push_back(rp);
  }
  // Drop roots nested in other roots, so nobody is counted twice.
  std::sort(scope.roots.begin(), scope.roots.end());
  std::vector<std::string> kept;
  for (auto& r : scope.roots)
    if (kept.empty() || !core::InSubtree(r, kept.back())) kept.push_back(std::move(r));
  scope.roots = std::move(kept);
  return scope;
}

/// The id of the child of the place with `parent_id_path` under which `home` lies.
std::int64_t ChildIdOf(std::string_view home, std::size_t parent_len) {
  if (home.size() <= parent_len) return 0;
  std::string_view rest = home.substr(parent_len);
  std::int64_t id = 0;
  std::from_chars(rest.data(), rest.data() + rest.find('/'), id);
  return id;
}

}  // namespace

core::Result<Coverage> GetCoverage(store::Connection& db, const Actor& actor,
                                   std::int64_t round_id, std::optional<std::int64_t> place_id) {
  Scope scope;
  SWB_TRY_ASSIGN(scope, ResolveScope(db, actor, round_id, place_id));
  Coverage out;
  out.total.place_id = scope.place.id;
  out.total.name = scope.place.name;
  std::unordered_map<std::int64_t, std::size_t> child_index;
  auto children = store::ChildPlaces(db, scope.place.id);
  std::stable_sort(children.begin(), children.end(), [](const core::Place& a, const core::Place& b) {
    return core::NaturalLess(a.name, b.name);
  });
  for (const auto& c : children) {
    child_index.emplace(c.id, out.children.size());
    out.children.push_back(CoverageCounts{c.id, c.name, 0, 0, 0, 0});
  }
  const std::size_t parent_len = scope.place.id_path.size();
  auto add = [](CoverageCounts& c, const store::CoverageRow& row) {
    ++c.expected;
    c.sampled += row.sampled;
    c.resulted += row.resulted;
    c.positive += row.positive;
  };
  for (const auto& root : scope.roots) {
    store::ScanCoverage(db, round_id, root, [&](const store::CoverageRow& row) {
      add(out.total, row);
      auto it = child_index.find(ChildIdOf(row.home_id_path, parent_len));
      if (it != child_index.end()) add(out.children[it->second], row);
    });
  }
  return out;
}

core::Result<MissingPage> ListMissing(store::Connection& db, const Actor& actor,
                                      std::int64_t round_id, std::optional<std::int64_t> place_id,
                                      std::int64_t cursor, int limit) {
  Scope scope;
  SWB_TRY_ASSIGN(scope, ResolveScope(db, actor, round_id, place_id));
  std::vector<std::int64_t> ids;
  for (const auto& root : scope.roots)
    store::ScanCoverage(db, round_id, root, [&](const store::CoverageRow& row) {
      if (!row.sampled) ids.push_back(row.resident_id);
    });
  std::vector<core::Resident> people;
  people.reserve(ids.size());
  for (std::int64_t id : ids) {
    if (auto row = store::FindResident(db, id)) people.push_back(ResidentOf(*row));
  }
  auto priority = [](const core::Resident& r) {
    auto has = [&](std::string_view t) { return std::find(r.tags.begin(), r.tags.end(), t) != r.tags.end(); };
    return has("bedridden") ? 0 : has("elderly") ? 1 : 2;
  };
  std::stable_sort(people.begin(), people.end(), [&](const core::Resident& a, const core::Resident& b) {
    const int pa = priority(a), pb = priority(b);
    if (pa != pb) return pa < pb;
    if (a.address != b.address) return core::NaturalLess(a.address, b.address);
    return a.name < b.name;
  });
  MissingPage page;
  page.total = static_cast<std::int64_t>(people.size());
  const auto begin = static_cast<std::size_t>(std::clamp<std::int64_t>(cursor, 0, page.total));
  std::size_t end = people.size();
  if (limit > 0 && begin + static_cast<std::size_t>(limit) < people.size()) {
    end = begin + static_cast<std::size_t>(limit);
    page.next_cursor = static_cast<std::int64_t>(end);
  }
  page.people.assign(std::make_move_iterator(people.begin() + static_cast<std::ptrdiff_t>(begin)),
                     std::make_move_iterator(people.begin() + static_cast<std::ptrdiff_t>(end)));
  return page;
}

}  // namespace swabline::service
