// The resident roster import (ImportResidents in registry.hpp): one row at a time from a CSV
// or XLSX file, each row checked, placed and saved or rejected on its own.

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"
#include "core/document.hpp"
#include "core/id_number.hpp"
#include "core/roster_columns.hpp"
#include "service/people.hpp"
#include "service/registry.hpp"
#include "service/roster_rows.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::RosterColumn;
using Fields = std::vector<std::string>;

// Progress is told this often (rows): often enough for a person watching, rarely enough to
// cost nothing.
constexpr std::size_t kProgressEvery = 10'000;

/// Finds or creates places along a path during one import, remembering them so that a
/// 100,000-row file asks the database once per distinct place.
class PlaceResolver {
 public:
  PlaceResolver(store::Tx& tx, const Actor& actor) : tx_(tx), actor_(actor) {}

  /// The deepest place of `names`; creates missing levels. Fails when outside the scope.
  core::Result<const core::Place*> Resolve(const std::vector<std::string_view>& names) {
    const core::Place* parent = nullptr;
    std::string path;
    for (std::size_t depth = 0; depth < names.size(); ++depth) {
      if (depth) path += '/';
      path += names[depth];
      auto it = cache_.find(path);
      if (it == cache_.end()) {
        std::optional<core::Place> found = store::FindPlaceByPath(tx_.db(), path);
        if (!found) {
          SWB_TRY(MayCreateUnder(parent));
          found = store::InsertPlace(tx_, *core::KindAtDepth(depth), names[depth], parent);
          ++created_;
        }
        it = cache_.emplace(path, std::move(*found)).first;
      }
      parent = &it->second;
    }
    SWB_TRY(RequireInScope(actor_, parent->id_path));
    return parent;
  }
  std::size_t created() const { return created_; }

 private:
  core::Status MayCreateUnder(const core::Place* parent) const {
    if (parent) return RequireInScope(actor_, parent->id_path);
    if (!actor_.scope_id_path.empty())
      return core::Fail(ErrorCode::kForbidden,
                        "this lies outside your places (" + actor_.scope_path + ")");
    return core::Ok{};
  }

  store::Tx& tx_;
  const Actor& actor_;
  std::unordered_map<std::string, core::Place> cache_;
  std::size_t created_ = 0;
};

/// A roster's header has at most this many columns; a row at most kExtraColumns more than
/// its header (spreadsheets often end rows with a few empty cells).
constexpr std::size_t kMaxColumns = 256;
constexpr std::size_t kExtraColumns = 16;

/// One import under way: what every row needs, and the counts so far.
struct ImportRun {
  store::Tx& tx;
  const Env& env;
  const Actor& actor;
  const core::RosterColumns& columns;
  core::Micros now;
  std::size_t header_width = 0;
  PlaceResolver places{tx, actor};
  std::unordered_set<std::string> seen{};  // document digest keys of earlier rows
  ImportReport report{};
};

/// A row's document, checked and in canonical form.
struct RowDocument {
  core::DocumentType type = core::DocumentType::kResidentId;
  std::string number;
  std::string key;  // DocumentDigestKey
};

core::Status RequireFields(const core::RosterColumns& columns, const Fields& row) {
  for (RosterColumn c : {RosterColumn::kIdNumber, RosterColumn::kName, RosterColumn::kDistrict,
                         RosterColumn::kStreet, RosterColumn::kCommunity})
    if (columns.Field(row, c).empty())
      return core::Fail(ErrorCode::kMissingField,
                        "the field '" + std::string(core::RosterColumnName(c)) + "' is empty");
  return core::Ok{};
}

core::Result<RowDocument> ReadDocument(const core::RosterColumns& columns, const Fields& row,
                                       core::CivilDate today) {
  RowDocument doc;
  if (const std::string_view type = columns.Field(row, RosterColumn::kDocType); !type.empty()) {
    auto parsed = core::ParseDocumentType(type);
    if (!parsed)
      return core::Fail(ErrorCode::kInvalidDocument,
                        "unknown doc_type '" + std::string(type) + "'");
    doc.type = *parsed;
  }
  const std::string_view raw = columns.Field(row, RosterColumn::kIdNumber);
  if (core::LooksLikeScientificNumber(raw))
    return core::Fail(ErrorCode::kInvalidIdNumber,
                      "the ID number reads '" + std::string(raw) +
                          "': the spreadsheet kept it as a number and lost its last digits; "
                          "format the column as text and type the numbers again");
  SWB_TRY_ASSIGN(doc.number, core::NormalizeDocument(doc.type, raw, today));
  doc.key = DocumentDigestKey(doc.type, doc.number);
  return doc;
}

/// District, street and community, then building, unit and room down to the first empty one.
core::Result<std::vector<std::string_view>> PlaceNames(const core::RosterColumns& columns,
                                                       const Fields& row) {
  std::vector<std::string_view> names;
  for (RosterColumn c : {RosterColumn::kDistrict, RosterColumn::kStreet, RosterColumn::kCommunity,
                         RosterColumn::kBuilding, RosterColumn::kUnit, RosterColumn::kRoom}) {
    const std::string_view name = columns.Field(row, c);
    if (name.empty()) break;
    if (name.find('/') != std::string_view::npos)
      return core::Fail(ErrorCode::kInvalidPlacePath, "a place name may not contain '/'");
    names.push_back(name);
  }
  return names;
}

/// Creates the resident, or updates the one already registered with this document.
core::Status SaveResident(ImportRun& run, const Fields& row, const RowDocument& doc,
                          const core::Place& place) {
  store::ResidentRow r;
  r.name = std::string(run.columns.Field(row, RosterColumn::kName));
  r.doc_type = doc.type;
  r.doc_hash = run.env.vault.Digest(doc.key);
  r.phone = std::string(run.columns.Field(row, RosterColumn::kPhone));
  r.place_id = place.id;
  r.tags = core::JoinTagsForStorage(core::ParseTags(run.columns.Field(row, RosterColumn::kTags)));
  if (auto existing = store::FindResidentByDocHash(run.tx.db(), r.doc_hash)) {
    if (!RequireInScope(run.actor, existing->place_id_path).ok())
      return core::Fail(ErrorCode::kForbidden, "this person is registered outside your places");
    r.id = existing->id;
    store::UpdateResident(run.tx, r, run.now);
    ++run.report.updated;
    return core::Ok{};
  }
  r.doc_cipher = run.env.vault.Seal(doc.number);
  r.doc_masked = core::MaskDocument(doc.type, doc.number);
  if (!store::InsertResident(run.tx, r, run.now))
    return core::Fail(ErrorCode::kDuplicateInFile, "this document number is already registered");
  ++run.report.created;
  return core::Ok{};
}

/// A row far wider than its header is a broken file or an attack, not a resident; U+0000 is
/// never stored (other tools truncate at it).
core::Status CheckRowShape(const ImportRun& run, const Fields& row) {
  if (row.size() > run.header_width + kExtraColumns)
    return core::Fail(ErrorCode::kTooManyColumns, "the row has " + std::to_string(row.size()) +
                                                      " columns, the header " +
                                                      std::to_string(run.header_width));
  if (core::HasNul(row))
    return core::Fail(ErrorCode::kNulCharacter, "a field holds the character U+0000");
  return core::Ok{};
}

core::Status ImportRow(ImportRun& run, const Fields& row) {
  SWB_TRY(CheckRowShape(run, row));
  SWB_TRY(RequireFields(run.columns, row));
  RowDocument doc;
  SWB_TRY_ASSIGN(doc, ReadDocument(run.columns, row, core::DateOf(run.now)));
  if (!run.seen.insert(doc.key).second)
    return core::Fail(ErrorCode::kDuplicateInFile,
                      "this document number appears on an earlier line");
  std::vector<std::string_view> names;
  SWB_TRY_ASSIGN(names, PlaceNames(run.columns, row));
  const core::Place* place = nullptr;
  SWB_TRY_ASSIGN(place, run.places.Resolve(names));
  return SaveResident(run, row, doc, *place);
}

core::Result<std::unique_ptr<RosterRows>> OpenRows(std::string_view bytes, RosterFormat format) {
  return format == RosterFormat::kXlsx ? OpenXlsxRows(bytes) : OpenCsvRows(bytes);
}

void AuditImport(const ImportRun& run) {
  const ImportReport& r = run.report;
  store::AppendAudit(
      run.tx, run.now,
      {run.actor.username, "resident.import", "resident", "",
       "created=" + std::to_string(r.created) + " updated=" + std::to_string(r.updated) +
           " rejected=" + std::to_string(r.rejected.size()) +
           " places_created=" + std::to_string(run.places.created())});
}

}  // namespace

core::Result<ImportReport> ImportResidents(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::string_view bytes, RosterFormat format,
                                           const ImportProgress& progress) {
  SWB_TRY(Require(actor, core::Permission::kWriteRegistry));
  std::unique_ptr<RosterRows> rows;
  SWB_TRY_ASSIGN(rows, OpenRows(bytes, format));
  Fields fields;
  if (!rows->Next(fields)) {
    if (auto error = rows->error()) return std::move(*error);
    return core::Fail(ErrorCode::kInvalidRequest, "the file is empty; the header row is missing");
  }
  if (fields.size() > kMaxColumns)
    return core::Fail(ErrorCode::kTooManyColumns,
                      "the header has " + std::to_string(fields.size()) + " columns; at most " +
                          std::to_string(kMaxColumns));
  SWB_TRY_ASSIGN(const core::RosterColumns columns, core::RosterColumns::FromHeader(fields));

  ImportRun run{tx, env, actor, columns, env.clock.Now(), fields.size()};
  run.report.encoding = std::string(rows->encoding());
  std::size_t done = 0;
  while (rows->Next(fields)) {
    if (auto status = ImportRow(run, fields); !status.ok())
      run.report.rejected.push_back({rows->line(),
                                     std::string(core::ErrorCodeName(status.error().code)),
                                     status.error().detail});
    if (++done % kProgressEvery == 0 && progress) progress(done, rows->progress());
  }
  // A workbook broken part-way fails as a whole: the caller's transaction keeps nothing.
  if (auto error = rows->error()) return std::move(*error);
  AuditImport(run);
  return std::move(run.report);
}

}  // namespace swabline::service
