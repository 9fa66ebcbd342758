#pragma once
/// Registry use cases: places and residents, and the CSV import of API.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/place.hpp"
#include "core/resident.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/residents.hpp"
#include "store/sqlite.hpp"

namespace swabline::service {

struct RejectedRow {
  std::size_t line = 0;  // the header is line 1
  std::string code;      // invalid_id_number, missing_field, duplicate_in_file, …
  std::string detail;
};

struct ImportReport {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::vector<RejectedRow> rejected;
};

/// Imports residents from CSV (header id_number,name,phone,district,street,community,building,
/// unit,room,tags; an optional doc_type column names other documents). Creates missing places;
/// updates a resident whose document is already registered; keeps valid rows when others fail.
/// Fails as a whole only for a missing header column (kInvalidRequest) or a forbidden actor.
core::Result<ImportReport> ImportResidents(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::string_view csv);

/// The place at a "District/Street/Community[/…]" path. kUnknownPlace, kForbidden.
core::Result<core::Place> FindPlaceAt(store::Connection& db, const Actor& actor,
                                      std::string_view path);

struct PlaceWithChildren {
  core::Place place;
  std::vector<core::Place> children;
  std::vector<core::Place> ancestors;  // root first, only those within the actor's scope
};

/// A place and its children. kUnknownPlace, kForbidden.
core::Result<PlaceWithChildren> GetPlace(store::Connection& db, const Actor& actor,
                                         std::int64_t id);
/// The places an actor starts from: their scope, or every district.
core::Result<std::vector<core::Place>> TopPlaces(store::Connection& db, const Actor& actor);

/// A stored row as the use cases show it: the ID number masked, tags split.
core::Resident ResidentOf(const store::ResidentRow& row);

/// A resident with the ID number masked. kUnknownResident, kForbidden.
core::Result<core::Resident> GetResident(store::Connection& db, const Env& env,
                                         const Actor& actor, std::int64_t id);
struct ResidentPage {
  std::vector<core::Resident> residents;
  std::optional<std::int64_t> next_cursor;
};

/// Residents under a place (the actor's scope when `place_id` is empty), a page at a time.
/// `query` is an ID number (exact match through its digest) or the start of a name.
core::Result<ResidentPage> ListResidents(store::Connection& db, const Env& env,
                                         const Actor& actor, std::optional<std::int64_t> place_id,
                                         std::string_view query, std::int64_t cursor, int limit);

/// The same with the ID number in clear; only for roles allowed to reveal, and audited.
core::Result<core::Resident> RevealResident(store::Tx& tx, const Env& env, const Actor& actor,
                                            std::int64_t id);

}  // namespace swabline::service
