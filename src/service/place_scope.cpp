#include "service/place_scope.hpp"

#include <utility>

#include "store/places.hpp"

namespace swabline::service {

core::Result<core::Place> ScopedPlace(store::Connection& db, const Actor& actor,
                                      std::int64_t place_id) {
  auto place = store::FindPlace(db, place_id);
  if (!place)
    return core::Fail(core::ErrorCode::kUnknownPlace,
                      "no place with id " + std::to_string(place_id));
  SWB_TRY(RequireInScope(actor, place->id_path));
  return std::move(*place);
}

core::Result<std::string> ListedIdPath(store::Connection& db, const Actor& actor,
                                       std::optional<std::int64_t> place_id) {
  if (!place_id) return actor.scope_id_path.empty() ? "/" : actor.scope_id_path;
  core::Place place;
  SWB_TRY_ASSIGN(place, ScopedPlace(db, actor, *place_id));
  return std::move(place.id_path);
}

}  // namespace swabline::service
