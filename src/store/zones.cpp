#include "store/zones.hpp"

#include "core/place.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kZoneColumns =
    "SELECT z.id, z.place_id, z.level, z.incident_id, z.reason, z.started_at, z.lifted_at "
    "FROM zones z ";

ZoneRow ZoneOf(Statement& q) {
  return ZoneRow{q.Int(0), q.Int(1), q.Str(2), q.OptInt(3), q.Str(4), q.Int(5), q.OptInt(6)};
}

std::vector<ZoneRow> Zones(StatementUse& q) {
  std::vector<ZoneRow> out;
  while (q->Next() == Step::kRow) out.push_back(ZoneOf(*q));
  return out;
}

}  // namespace

std::int64_t InsertZone(Tx& tx, const ZoneRow& row) {
  auto q = tx.Query(
      "INSERT INTO zones(place_id, level, incident_id, reason, started_at) VALUES (?, ?, ?, ?, ?)");
  q->Bind(1, row.place_id).Bind(2, row.level).Bind(3, row.incident_id).Bind(4, row.reason);
  q->Bind(5, row.started_at);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<ZoneRow> FindZone(Connection& db, std::int64_t id) {
  auto q = db.Query(std::string(kZoneColumns) + "WHERE z.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ZoneOf(*q);
}

void LiftZoneRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE zones SET lifted_at = ?, lifted_reason = ? WHERE id = ? AND lifted_at IS NULL");
  q->Bind(1, now).Bind(2, reason).Bind(3, id);
  q->RunOrThrow();
}

std::optional<std::int64_t> ActiveZoneOn(Connection& db, std::int64_t place_id,
                                         std::string_view level, std::int64_t incident_id) {
  auto q = db.Query(
      "SELECT id FROM zones WHERE place_id = ? AND level = ? AND lifted_at IS NULL AND "
      "incident_id = ? LIMIT 1");
  q->Bind(1, place_id).Bind(2, level).Bind(3, incident_id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->Int(0);
}

std::vector<ZoneRow> ZonesOfIncident(Connection& db, std::int64_t incident_id) {
  auto q = db.Query(std::string(kZoneColumns) + "WHERE z.incident_id = ? ORDER BY z.id");
  q->Bind(1, incident_id);
  return Zones(q);
}

std::vector<ZoneRow> ListZoneRows(Connection& db, bool active_only,
                                  std::string_view under_id_path) {
  auto q = db.Query(std::string(kZoneColumns) +
                    "JOIN places p ON p.id = z.place_id WHERE (?1 = 0 OR z.lifted_at IS NULL) "
                    "AND substr(p.id_path, 1, length(?2)) = ?2 ORDER BY z.id");
  q->Bind(1, active_only ? 1 : 0).Bind(2, under_id_path);
  return Zones(q);
}

std::vector<std::string> ActiveLevelsOver(Connection& db, std::string_view home_id_path) {
  // One probe of the partial index per place along the path.
  std::vector<std::string> out;
  auto q = db.Query("SELECT level FROM zones WHERE place_id = ? AND lifted_at IS NULL");
  for (std::int64_t id : core::IdsAlong(home_id_path)) {
    q->Reset();
    q->Bind(1, id);
    while (q->Next() == Step::kRow) out.push_back(q->Str(0));
  }
  return out;
}

}  // namespace swabline::store
