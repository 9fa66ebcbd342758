#pragma once
/// The place a use case names, checked against the actor's places: one lookup and one error for
/// every use case that takes a place id.

#include <cstdint>
#include <optional>
#include <string>

#include "core/place.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// The place `place_id`, which must lie in the actor's subtree. kUnknownPlace, kForbidden.
core::Result<core::Place> ScopedPlace(store::Connection& db, const Actor& actor,
                                      std::int64_t place_id);

/// The id_path a list is limited to: `place_id`'s when given (kUnknownPlace, kForbidden as
/// ScopedPlace), else the actor's subtree ("/" for the whole tree).
core::Result<std::string> ListedIdPath(store::Connection& db, const Actor& actor,
                                       std::optional<std::int64_t> place_id);

}  // namespace swabline::service
