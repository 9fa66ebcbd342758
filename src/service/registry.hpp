#pragma once
/// Registry use cases: places and residents, and the roster import of docs/openapi.yaml.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/place.hpp"
#include "core/resident.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"
#include "store/residents.hpp"

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
  std::string encoding;  // how the text was read: "utf-8", "utf-8-bom" or "gb18030"
};

enum class RosterFormat { kCsv, kXlsx };

/// Told every 10,000 rows during an import: the rows read so far and the share of the file
/// read (0 to 1). Runs inside the import's transaction: it must be quick.
using ImportProgress = std::function<void(std::size_t rows, double fraction)>;

/// Imports residents from a roster: CSV in UTF-8 (with or without a byte-order mark) or
/// GB18030/GBK, or the first worksheet of an .xlsx workbook. The header names the columns in
/// English (id_number,name,phone,district,street,community,building,unit,room,tags, and an
/// optional doc_type for other documents) or Chinese (身份证号, 姓名, 电话, 区, 街道, 社区, 楼,
/// 单元, 室, 标签), in any order; phone, building, unit, room and tags may be left out.
/// Creates missing places; updates a resident whose document is already registered; keeps
/// valid rows when others fail. Fails as a whole, before any row is written, for a forbidden
/// actor (kForbidden), a text neither UTF-8 nor GB18030 (kUnsupportedEncoding), an empty file
/// or a header without a required column (kInvalidRequest), or a CSV body that is a workbook
/// (kUnsupportedMediaType); and for a workbook broken part-way (kInvalidRequest), which the
/// caller must not commit.
core::Result<ImportReport> ImportResidents(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::string_view bytes,
                                           RosterFormat format = RosterFormat::kCsv,
                                           const ImportProgress& progress = {});

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
core::Result<core::Resident> GetResident(store::Connection& db, const Env& env, const Actor& actor,
                                         std::int64_t id);
struct ResidentPage {
  std::vector<core::Resident> residents;
  std::optional<std::int64_t> next_cursor;
};

/// Residents under a place (the actor's scope when `place_id` is empty), a page at a time.
/// `query` is an ID number (exact match through its digest) or the start of a name.
core::Result<ResidentPage> ListResidents(store::Connection& db, const Env& env, const Actor& actor,
                                         std::optional<std::int64_t> place_id,
                                         std::string_view query, std::int64_t cursor, int limit);

/// The same with the ID number in clear; only for roles allowed to reveal, and audited.
core::Result<core::Resident> RevealResident(store::Tx& tx, const Env& env, const Actor& actor,
                                            std::int64_t id);

}  // namespace swabline::service
