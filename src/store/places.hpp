#pragma once
/// Rows of the place tree.

#include <optional>
#include <string_view>
#include <vector>

#include "core/place.hpp"
#include "store/connection.hpp"

namespace swabline::store {

std::optional<core::Place> FindPlace(Connection& db, std::int64_t id);
std::optional<core::Place> FindPlaceByPath(Connection& db, std::string_view path);
std::vector<core::Place> ChildPlaces(Connection& db, std::int64_t parent_id);
std::vector<core::Place> RootPlaces(Connection& db);
/// Inserts a place under `parent` (nullptr for a district) and returns it with its id and
/// id_path filled in; sets its tally place for the coverage counts (the only code path that
/// inserts places: keep it so). REQUIRES: no place with the same path exists.
core::Place InsertPlace(Tx& tx, core::PlaceKind kind, std::string_view name,
                        const core::Place* parent);

}  // namespace swabline::store
