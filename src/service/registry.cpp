#include "service/registry.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"
#include "core/document.hpp"
#include "core/id_number.hpp"
#include "core/natural_order.hpp"
#include "core/text.hpp"
#include "service/people.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

enum Column {
  kIdNumber,
  kName,
  kPhone,
  kDistrict,
  kStreet,
  kCommunity,
  kBuilding,
  kUnit,
  kRoom,
  kTags,
  kDocType,
  kColumnCount
};
constexpr std::array<std::string_view, kColumnCount> kHeader = {
    "id_number", "name", "phone", "district", "street",  "community",
    "building",  "unit", "room",  "tags",     "doc_type"};
constexpr int kRequiredColumns = kTags + 1;  // doc_type is optional

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
          if (parent) {
            SWB_TRY(RequireInScope(actor_, parent->id_path));
          } else if (!actor_.scope_id_path.empty()) {
            return core::Fail(ErrorCode::kForbidden,
                              "this lies outside your places (" + actor_.scope_path + ")");
          }
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
  store::Tx& tx_;
  const Actor& actor_;
  std::unordered_map<std::string, core::Place> cache_;
  std::size_t created_ = 0;
};

}  // namespace

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

core::Result<ImportReport> ImportResidents(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::string_view csv) {
  SWB_TRY(Require(actor, core::Permission::kWriteRegistry));
  core::CsvReader reader(csv);
  std::vector<std::string> fields;
  if (!reader.Next(fields))
    return core::Fail(ErrorCode::kInvalidRequest, "the CSV is empty; the header row is missing");

  std::array<int, kColumnCount> index;
  index.fill(-1);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view h = core::TrimBlanks(fields[i]);
    for (std::size_t c = 0; c < kColumnCount; ++c)
      if (h == kHeader[c]) index[c] = static_cast<int>(i);
  }
  for (int c = 0; c < kRequiredColumns; ++c)
    if (index[c] < 0)
      return core::Fail(ErrorCode::kInvalidRequest,
                        "the header row lacks the column '" + std::string(kHeader[c]) +
                            "'; expected id_number,name,phone,district,street,community,"
                            "building,unit,room,tags")
          .With("column", std::string(kHeader[c]));

  ImportReport report;
  PlaceResolver places(tx, actor);
  std::unordered_set<std::string> seen;
  const core::Micros now = env.clock.Now();
  const core::CivilDate today = core::DateOf(now);
  auto field = [&](Column c) -> std::string_view {
    int i = index[c];
    return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? core::TrimBlanks(fields[i])
                                                                 : std::string_view();
  };
  auto reject = [&](std::string_view code, std::string detail) {
    report.rejected.push_back({reader.line(), std::string(code), std::move(detail)});
  };

  while (reader.Next(fields)) {
    std::string_view missing;
    for (Column c : {kIdNumber, kName, kDistrict, kStreet, kCommunity})
      if (field(c).empty()) {
        missing = kHeader[c];
        break;
      }
    if (!missing.empty()) {
      reject("missing_field", "the field '" + std::string(missing) + "' is empty");
      continue;
    }
    auto doc_type = core::DocumentType::kResidentId;
    if (!field(kDocType).empty()) {
      auto t = core::ParseDocumentType(field(kDocType));
      if (!t) {
        reject("invalid_document", "unknown doc_type '" + std::string(field(kDocType)) + "'");
        continue;
      }
      doc_type = *t;
    }
    auto number = core::NormalizeDocument(doc_type, field(kIdNumber), today);
    if (!number) {
      reject(core::ErrorCodeName(number.error().code), number.error().detail);
      continue;
    }
    const std::string key = DocumentDigestKey(doc_type, *number);
    if (!seen.insert(key).second) {
      reject("duplicate_in_file", "this document number appears on an earlier line");
      continue;
    }
    std::vector<std::string_view> names = {field(kDistrict), field(kStreet), field(kCommunity)};
    for (Column c : {kBuilding, kUnit, kRoom}) {
      if (field(c).empty()) break;
      names.push_back(field(c));
    }
    if (std::any_of(names.begin(), names.end(),
                    [](std::string_view n) { return n.find('/') != std::string_view::npos; })) {
      reject("invalid_place_path", "a place name may not contain '/'");
      continue;
    }
    auto place = places.Resolve(names);
    if (!place) {
      reject(core::ErrorCodeName(place.error().code), place.error().detail);
      continue;
    }

    store::ResidentRow row;
    row.name = std::string(field(kName));
    row.doc_type = doc_type;
    row.doc_hash = env.vault.Digest(key);
    row.phone = std::string(field(kPhone));
    row.place_id = (*place)->id;
    row.tags = core::JoinTagsForStorage(core::ParseTags(field(kTags)));
    if (auto existing = store::FindResidentByDocHash(tx.db(), row.doc_hash)) {
      if (auto scoped = RequireInScope(actor, existing->place_id_path); !scoped) {
        reject("forbidden", "this person is registered outside your places");
        continue;
      }
      row.id = existing->id;
      store::UpdateResident(tx, row, now);
      ++report.updated;
      continue;
    }
    row.doc_cipher = env.vault.Seal(*number);
    row.doc_masked = core::MaskDocument(doc_type, *number);
    if (!store::InsertResident(tx, row, now)) {
      reject("duplicate_in_file", "this document number is already registered");
      continue;
    }
    ++report.created;
  }
  store::AppendAudit(
      tx, now,
      {actor.username, "resident.import", "resident", "",
       "created=" + std::to_string(report.created) + " updated=" + std::to_string(report.updated) +
           " rejected=" + std::to_string(report.rejected.size()) +
           " places_created=" + std::to_string(places.created())});
  return report;
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
  auto place = store::FindPlace(db, id);
  if (!place) return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(id));
  SWB_TRY(RequireInScope(actor, place->id_path));
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
  std::string id_path = actor.scope_id_path.empty() ? "/" : actor.scope_id_path;
  if (place_id) {
    auto place = store::FindPlace(db, *place_id);
    if (!place)
      return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(*place_id));
    SWB_TRY(RequireInScope(actor, place->id_path));
    id_path = place->id_path;
  }
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
