#include "service/coverage.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <unordered_map>

#include "core/document.hpp"
#include "core/natural_order.hpp"
#include "service/registry.hpp"
#include "store/coverage_scan.hpp"
#include "store/coverage_tallies.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/rounds.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

/// The id of the child of the place with `parent_id_path` under which `home` lies.
std::int64_t ChildIdOf(std::string_view home, std::size_t parent_len) {
  if (home.size() <= parent_len) return 0;
  std::string_view rest = home.substr(parent_len);
  std::int64_t id = 0;
  std::from_chars(rest.data(), rest.data() + rest.find('/'), id);
  return id;
}

CoverageCounts* ChildOf(Coverage& out, const std::unordered_map<std::int64_t, std::size_t>& index,
                        std::string_view home, std::size_t parent_len) {
  auto it = index.find(ChildIdOf(home, parent_len));
  return it == index.end() ? nullptr : &out.children[it->second];
}

/// Whether the kept tallies can answer for the subtree at `root` within `place`. They cannot
/// below building level (a unit or room root), nor split a place whose children keep no
/// tallies of their own (a building's units): those subtrees are small, and recounted.
bool CountedByTallies(store::Connection& db, const core::Place& place, const std::string& root) {
  const std::vector<std::int64_t> ids = core::IdsAlong(root);
  if (ids.empty() || !store::KeepsTally(db, ids.back())) return false;
  return root != place.id_path || store::ChildrenKeepTallies(db, place.id);
}

/// How many times too often a count of samples counts a person with `samples` of them.
std::int64_t Extra(std::int64_t samples) { return samples > 1 ? samples - 1 : 0; }

using AddCounts = std::function<void(std::string_view home, const CoverageCounts& by)>;

/// Adds the kept counts of the tally places under `root`. They count samples; coverage counts
/// people, so each resident with two or more valid samples in the round (a repeat, a retest)
/// is taken back to one.
void AddTallies(store::Connection& db, std::int64_t round_id, const std::string& root,
                const AddCounts& add) {
  CoverageCounts by;
  store::ScanTallies(db, round_id, root, [&](const store::TallyRow& t) {
    by.expected = t.residents;
    by.sampled = t.sampled;
    by.resulted = t.resulted;
    by.positive = t.positive;
    add(t.id_path, by);
  });
  by.expected = 0;
  store::ScanRepeatSamplers(db, round_id, root, [&](const store::RepeatSamplerRow& r) {
    by.sampled = -Extra(r.valid_samples);
    by.resulted = -Extra(r.resulted_samples);
    by.positive = -Extra(r.positive_samples);
    add(r.home_id_path, by);
  });
}

/// Adds every resident under `root`, one by one.
void AddRecount(store::Connection& db, std::int64_t round_id, const std::string& root,
                const AddCounts& add) {
  CoverageCounts by;
  by.expected = 1;
  store::ScanCoverage(db, round_id, root, [&](const store::CoverageRow& row) {
    by.sampled = row.sampled;
    by.resulted = row.resulted;
    by.positive = row.positive;
    add(row.home_id_path, by);
  });
}

}  // namespace

core::Result<RoundScope> ResolveRoundScope(store::Connection& db, const Actor& actor,
                                           std::int64_t round_id,
                                           std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  auto round = store::FindRound(db, round_id);
  if (!round)
    return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(round_id));
  RoundScope scope;
  std::optional<core::Place> place;
  if (place_id) {
    place = store::FindPlace(db, *place_id);
    if (!place)
      return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(*place_id));
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

core::Result<Coverage> GetCoverage(store::Connection& db, const Actor& actor, std::int64_t round_id,
                                   std::optional<std::int64_t> place_id) {
  RoundScope scope;
  SWB_TRY_ASSIGN(scope, ResolveRoundScope(db, actor, round_id, place_id));
  Coverage out;
  out.total.place_id = scope.place.id;
  out.total.name = scope.place.name;
  std::unordered_map<std::int64_t, std::size_t> child_index;
  auto children = store::ChildPlaces(db, scope.place.id);
  std::stable_sort(
      children.begin(), children.end(),
      [](const core::Place& a, const core::Place& b) { return core::NaturalLess(a.name, b.name); });
  for (const auto& c : children) {
    child_index.emplace(c.id, out.children.size());
    out.children.push_back(CoverageCounts{c.id, c.name, 0, 0, 0, 0});
  }
  const std::size_t parent_len = scope.place.id_path.size();
  // To the total, and to the child of the place under which `home` lies.
  auto add = [&](std::string_view home, const CoverageCounts& by) {
    for (CoverageCounts* c : {&out.total, ChildOf(out, child_index, home, parent_len)}) {
      if (!c) continue;
      c->expected += by.expected;
      c->sampled += by.sampled;
      c->resulted += by.resulted;
      c->positive += by.positive;
    }
  };
  for (const auto& root : scope.roots) {
    if (CountedByTallies(db, scope.place, root)) {
      AddTallies(db, round_id, root, add);
    } else {
      AddRecount(db, round_id, root, add);
    }
  }
  return out;
}

core::Result<MissingPage> ListMissing(store::Connection& db, const Actor& actor,
                                      std::int64_t round_id, std::optional<std::int64_t> place_id,
                                      std::int64_t cursor, int limit) {
  RoundScope scope;
  SWB_TRY_ASSIGN(scope, ResolveRoundScope(db, actor, round_id, place_id));
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
    auto has = [&](std::string_view t) {
      return std::find(r.tags.begin(), r.tags.end(), t) != r.tags.end();
    };
    return has("bedridden") ? 0 : has("elderly") ? 1 : 2;
  };
  std::stable_sort(people.begin(), people.end(),
                   [&](const core::Resident& a, const core::Resident& b) {
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
