#include "store/places.hpp"

#include <string>

#include "store/columns.hpp"

namespace swabline::store {
namespace {

core::Place Read(Statement& s) {
  core::Place p;
  p.id = s.Int(0);
  p.kind = EnumColumn(core::ParsePlaceKind, s.Text(1), "places", "kind");
  p.name = s.Str(2);
  p.path = s.Str(3);
  p.id_path = s.Str(4);
  p.parent_id = s.OptInt(5);
  return p;
}

std::optional<core::Place> One(StatementUse& q) {
  if (q->Next() != Step::kRow) return std::nullopt;
  return Read(*q);
}

std::vector<core::Place> Many(StatementUse& q) {
  std::vector<core::Place> out;
  while (q->Next() == Step::kRow) out.push_back(Read(*q));
  return out;
}

}  // namespace

std::optional<core::Place> FindPlace(Connection& db, std::int64_t id) {
  auto q = db.Query("SELECT id, kind, name, path, id_path, parent_id FROM places WHERE id = ?");
  q->Bind(1, id);
  return One(q);
}

std::optional<core::Place> FindPlaceByPath(Connection& db, std::string_view path) {
  auto q = db.Query("SELECT id, kind, name, path, id_path, parent_id FROM places WHERE path = ?");
  q->Bind(1, path);
  return One(q);
}

std::vector<core::Place> ChildPlaces(Connection& db, std::int64_t parent_id) {
  auto q = db.Query(
      "SELECT id, kind, name, path, id_path, parent_id FROM places WHERE parent_id = ? "
      "ORDER BY name");
  q->Bind(1, parent_id);
  return Many(q);
}

std::vector<core::Place> RootPlaces(Connection& db) {
  auto q = db.Query(
      "SELECT id, kind, name, path, id_path, parent_id FROM places WHERE parent_id IS NULL "
      "ORDER BY name");
  return Many(q);
}

core::Place InsertPlace(Tx& tx, core::PlaceKind kind, std::string_view name,
                        const core::Place* parent) {
  core::Place p;
  p.kind = kind;
  p.name = std::string(name);
  p.path = parent ? parent->path + "/" + p.name : p.name;
  if (parent) p.parent_id = parent->id;
  {
    auto q = tx.Query(
        "INSERT INTO places(kind, name, parent_id, path, id_path) VALUES (?, ?, ?, ?, '')");
    q->Bind(1, core::PlaceKindName(kind)).Bind(2, name).Bind(3, p.parent_id).Bind(4, p.path);
    if (!q->Run()) throw StoreError(0, "place path already exists: " + p.path);
  }
  p.id = tx.db().LastInsertId();
  p.id_path = (parent ? parent->id_path : std::string("/")) + std::to_string(p.id) + "/";
  // The region key is the district: every place and resident of one district lands on
  // the same shard of a distributed PostgreSQL. The tally place keeps coverage counts
  // (schema v3): a place itself down to building level, its parent's below; set here, in the
  // update every new place takes anyway, as a trigger's own update doubled a place's cost.
  std::string region = p.id_path.substr(1, p.id_path.find('/', 1) - 1);
  auto q = tx.Query(
      "UPDATE places SET id_path = ?1, region = ?2, tally_id = CASE WHEN kind IN ('unit', "
      "'room') THEN (SELECT tally_id FROM places WHERE id = ?4) ELSE id END WHERE id = ?3");
  q->Bind(1, p.id_path).Bind(2, static_cast<std::int64_t>(std::stoll(region))).Bind(3, p.id);
  q->Bind(4, p.parent_id);
  q->RunOrThrow();
  return p;
}

}  // namespace swabline::store
