#include "store/zones.hpp"

#include "core/place.hpp"
#include "store/bulk_insert.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kZoneColumns =
    "SELECT z.id, z.place_id, z.level, z.incident_id, z.reason, z.started_at, z.lifted_at, "
    "z.stepped_down_from FROM zones z ";

/// The residents' valid samples, with their tubes, of places at or under ?1 (an id_path: the
/// range keeps to the index on places.id_path, since ids and '/' sort before '~').
constexpr std::string_view kSamplesInPlace =
    "FROM places p JOIN residents r ON r.place_id = p.id "
    "JOIN samples s ON s.resident_id = r.id AND s.voided_at IS NULL "
    "JOIN tubes t ON t.barcode = s.tube_barcode "
    "WHERE p.id_path >= ?1 AND p.id_path < ?1 || '~' ";

ZoneRow ZoneOf(Statement& q) {
  return ZoneRow{q.Int(0), q.Int(1), q.Str(2),    q.OptInt(3),
                 q.Str(4), q.Int(5), q.OptInt(6), q.OptStr(7)};
}

std::vector<ZoneRow> Zones(StatementUse& q) {
  std::vector<ZoneRow> out;
  while (q->Next() == Step::kRow) out.push_back(ZoneOf(*q));
  return out;
}

}  // namespace

std::int64_t InsertZone(Tx& tx, const ZoneRow& row) {
  auto q = tx.Query(
      "INSERT INTO zones(place_id, level, incident_id, reason, started_at, stepped_down_from) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  q->Bind(1, row.place_id).Bind(2, row.level).Bind(3, row.incident_id).Bind(4, row.reason);
  q->Bind(5, row.started_at).Bind(6, row.stepped_down_from);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::int64_t InsertZones(Tx& tx, std::span<const ZoneRow> rows) {
  static const MultiRowInsert kInsert(
      "INSERT INTO zones(place_id, level, incident_id, reason, started_at, stepped_down_from) "
      "VALUES ",
      "(?, ?, ?, ?, ?, ?)", 6);
  return kInsert.Run(tx, rows.size(), [&](Statement& q, int at, std::size_t i) {
    const ZoneRow& row = rows[i];
    q.Bind(at, row.place_id).BindView(at + 1, row.level).Bind(at + 2, row.incident_id);
    q.BindView(at + 3, row.reason).Bind(at + 4, row.started_at).Bind(at + 5, row.stepped_down_from);
  });
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

std::vector<PlaceRoundRow> RoundsInPlace(Connection& db, std::string_view id_path,
                                         std::int64_t since) {
  auto q = db.Query(
      "SELECT s.round_id, MAX(s.sampled_at), MAX(t.resulted_at), COUNT(*), "
      "SUM(CASE WHEN t.result = 'negative' THEN 1 ELSE 0 END) " +
      std::string(kSamplesInPlace) + "AND s.sampled_at >= ?2 GROUP BY s.round_id ORDER BY 1");
  q->Bind(1, id_path).Bind(2, since);
  std::vector<PlaceRoundRow> out;
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), q->Int(1), q->OptInt(2), q->Int(3), q->Int(4)});
  return out;
}

std::optional<std::int64_t> LastPositiveInPlace(Connection& db, std::string_view id_path) {
  auto q = db.Query("SELECT MAX(s.sampled_at) " + std::string(kSamplesInPlace) +
                    "AND t.result = 'positive'");
  q->Bind(1, id_path);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->OptInt(0);
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

bool HasActiveZoneOn(Connection& db, std::int64_t place_id, std::string_view level) {
  auto q = db.Query(
      "SELECT 1 FROM zones WHERE place_id = ? AND level = ? AND lifted_at IS NULL LIMIT 1");
  q->Bind(1, place_id).Bind(2, level);
  return q->Next() == Step::kRow;
}

}  // namespace swabline::store
