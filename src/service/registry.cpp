#include "service/registry.hpp"

#include <algorithm>
#include <optional>

#include "core/document.hpp"
#include "core/id_number.hpp"
#include "core/natural_order.hpp"
#include "core/text.hpp"
#include "service/people.hpp"
#include "service/place_scope.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::service {
using core::ErrorCode;

core::Resident ResidentOf(const store::ResidentRow& row) {
  core::Resident r;
  r.id = row.id;
  r.name = row.name;
  r.doc_type = row.doc_type;
  r.id_number_masked = row.doc_masked;
  r.phone = row.phone;
  r.place_id = row.place_id;
  r.address = row.place_path;
  r.tags = core::SplitStoredTags(row.tags);
  r.walk_in = row.walk_in;
  return r;
}

core::Result<core::Place> FindPlaceAt(store::Connection& db, const Actor& actor,
                                      std::string_view path) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  std::string canonical;
  SWB_TRY_ASSIGN(canonical, core::CanonicalPlacePath(path));
  auto place = store::FindPlaceByPath(db, canonical);
  if (!place) return core::Fail(ErrorCode::kUnknownPlace, "no place at '" + canonical + "'");
  SWB_TRY(RequireInScope(actor, place->id_path));
  return std::move(*place);
}

core::Result<PlaceWithChildren> GetPlace(store::Connection& db, const Actor& actor,
                                         std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  auto place = ScopedPlace(db, actor, id);
  if (!place) return place.take_error();
  PlaceWithChildren out{std::move(*place), {}, {}};
  for (std::int64_t ancestor : core::IdsAlong(out.place.id_path)) {
    if (ancestor == out.place.id) break;
    auto a = store::FindPlace(db, ancestor);
    if (a && RequireInScope(actor, a->id_path).ok()) out.ancestors.push_back(std::move(*a));
  }
  out.children = store::ChildPlaces(db, out.place.id);
  std::stable_sort(
      out.children.begin(), out.children.end(),
      [](const core::Place& a, const core::Place& b) { return core::NaturalLess(a.name, b.name); });
  return out;
}

core::Result<std::vector<core::Place>> TopPlaces(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  if (actor.scope_place_id) {
    auto p = store::FindPlace(db, *actor.scope_place_id);
    if (!p) return std::vector<core::Place>{};
    return std::vector<core::Place>{std::move(*p)};
  }
  return store::RootPlaces(db);
}

core::Result<core::Resident> GetResident(store::Connection& db, const Env&, const Actor& actor,
                                         std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kReadResidents));
  auto row = store::FindResident(db, id);
  if (!row)
    return core::Fail(ErrorCode::kUnknownResident, "no resident with id " + std::to_string(id));
  SWB_TRY(RequireInScope(actor, row->place_id_path));
  return ResidentOf(*row);
}

core::Result<ResidentPage> ListResidents(store::Connection& db, const Env& env, const Actor& actor,
                                         std::optional<std::int64_t> place_id,
                                         std::string_view query, std::int64_t cursor, int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadResidents));
  limit = std::clamp(limit, 1, 1000);
  ResidentPage page;
  if (core::LooksLikeIdNumber(query)) {
    auto number = core::NormalizeIdNumber(query, core::DateOf(env.clock.Now()));
    if (!number) return number.take_error();
    auto row = store::FindResidentByDocHash(
        db, env.vault.Digest(DocumentDigestKey(core::DocumentType::kResidentId, *number)));
    if (row && RequireInScope(actor, row->place_id_path).ok() &&
        (!place_id ||
         row->place_id_path.find("/" + std::to_string(*place_id) + "/") != std::string::npos))
      page.residents.push_back(ResidentOf(*row));
    return page;
  }
  std::string id_path;
  SWB_TRY_ASSIGN(id_path, ListedIdPath(db, actor, place_id));
  auto rows = store::ListResidentsUnder(db, id_path, query, cursor, limit + 1);
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i)
    page.residents.push_back(ResidentOf(rows[i]));
  if (rows.size() > static_cast<std::size_t>(limit)) page.next_cursor = page.residents.back().id;
  return page;
}

core::Result<core::Resident> RevealResident(store::Tx& tx, const Env& env, const Actor& actor,
                                            std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kRevealIdNumbers));
  auto row = store::FindResident(tx.db(), id);
  if (!row)
    return core::Fail(ErrorCode::kUnknownResident, "no resident with id " + std::to_string(id));
  SWB_TRY(RequireInScope(actor, row->place_id_path));
  core::Resident r = ResidentOf(*row);
  auto clear = env.vault.Open(row->doc_cipher);
  if (!clear)
    return core::Fail(ErrorCode::kInternal, "the stored ID number cannot be opened with this key");
  r.id_number = std::move(*clear);
  store::AppendAudit(tx, env.clock.Now(),
                     {actor.username, "resident.reveal", "resident", std::to_string(id), ""});
  return r;
}

}  // namespace swabline::service
