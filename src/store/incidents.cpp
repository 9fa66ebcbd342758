#include "store/incidents.hpp"

#include "store/bulk_insert.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kIncidentColumns =
    "SELECT id, kind, status, tube_barcode, opened_at, closed_at, parent_id, note, closed_reason "
    "FROM incidents ";

IncidentRow IncidentOf(Statement& q) {
  IncidentRow row;
  row.id = q.Int(0);
  row.kind = q.Str(1);
  row.status = q.Str(2);
  row.tube = q.OptStr(3);
  row.opened_at = q.Int(4);
  row.closed_at = q.OptInt(5);
  row.parent_id = q.OptInt(6);
  row.note = q.OptStr(7);
  row.closed_reason = q.OptStr(8);
  return row;
}

std::vector<std::int64_t> Ids(Connection& db, std::string_view sql, std::int64_t id) {
  std::vector<std::int64_t> out;
  auto q = db.Query(sql);
  q->Bind(1, id);
  while (q->Next() == Step::kRow) out.push_back(q->Int(0));
  return out;
}

void FillMembers(Connection& db, IncidentRow& row) {
  row.people = Ids(db,
                   "SELECT resident_id FROM incident_people WHERE incident_id = ? ORDER BY "
                   "resident_id",
                   row.id);
  row.place_ids = Ids(
      db, "SELECT place_id FROM incident_places WHERE incident_id = ? ORDER BY place_id", row.id);
}

}  // namespace

std::int64_t InsertIncident(Tx& tx, const std::string& kind, std::int64_t now,
                            const std::vector<std::int64_t>& people) {
  const std::int64_t id = InsertIncident(tx, NewIncident{kind, {}, {}, {}, {}}, now);
  for (std::int64_t person : people) AddIncidentPerson(tx, id, person);
  return id;
}

std::int64_t InsertIncident(Tx& tx, const NewIncident& in, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO incidents(kind, status, tube_barcode, round_id, parent_id, note, opened_at) "
      "VALUES (?, 'open', ?, ?, ?, ?, ?)");
  q->Bind(1, in.kind).Bind(2, in.tube).Bind(3, in.round_id).Bind(4, in.parent_id);
  q->Bind(5, in.note).Bind(6, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

void AddIncidentPerson(Tx& tx, std::int64_t incident_id, std::int64_t resident_id) {
  auto q =
      tx.Query("INSERT OR IGNORE INTO incident_people(incident_id, resident_id) VALUES (?, ?)");
  q->Bind(1, incident_id).Bind(2, resident_id);
  q->RunOrThrow();
}

void AddIncidentPlace(Tx& tx, std::int64_t incident_id, std::int64_t place_id) {
  auto q = tx.Query("INSERT OR IGNORE INTO incident_places(incident_id, place_id) VALUES (?, ?)");
  q->Bind(1, incident_id).Bind(2, place_id);
  q->RunOrThrow();
}

void AddIncidentPeople(Tx& tx, std::int64_t incident_id, std::span<const std::int64_t> residents) {
  static const MultiRowInsert kInsert(
      "INSERT OR IGNORE INTO incident_people(incident_id, resident_id) VALUES ", "(?, ?)", 2);
  kInsert.Run(tx, residents.size(), [&](Statement& q, int at, std::size_t i) {
    q.Bind(at, incident_id).Bind(at + 1, residents[i]);
  });
}

void AddIncidentPlaces(Tx& tx, std::int64_t incident_id, std::span<const std::int64_t> places) {
  static const MultiRowInsert kInsert(
      "INSERT OR IGNORE INTO incident_places(incident_id, place_id) VALUES ", "(?, ?)", 2);
  kInsert.Run(tx, places.size(), [&](Statement& q, int at, std::size_t i) {
    q.Bind(at, incident_id).Bind(at + 1, places[i]);
  });
}

std::optional<IncidentRow> FindIncident(Connection& db, std::int64_t id) {
  IncidentRow row;
  {
    auto q = db.Query(std::string(kIncidentColumns) + "WHERE id = ?");
    q->Bind(1, id);
    if (q->Next() != Step::kRow) return std::nullopt;
    row = IncidentOf(*q);
  }
  FillMembers(db, row);
  return row;
}

void CloseIncidentRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE incidents SET status = 'closed', closed_at = ?, closed_reason = ? WHERE id = ?");
  q->Bind(1, now).Bind(2, reason).Bind(3, id);
  q->RunOrThrow();
}

std::vector<IncidentRow> ListIncidentRows(Connection& db, const IncidentFilter& f) {
  std::vector<IncidentRow> out;
  {
    auto q = db.Query(
        std::string(kIncidentColumns) +
        "WHERE id > ?1 AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) AND (?3 = '' OR EXISTS ("
        "SELECT 1 FROM incident_places ip JOIN places p ON p.id = ip.place_id "
        "WHERE ip.incident_id = incidents.id AND substr(p.id_path, 1, length(?3)) = ?3) OR EXISTS ("
        "SELECT 1 FROM incident_people ir JOIN residents r ON r.id = ir.resident_id "
        "JOIN places p ON p.id = r.place_id WHERE ir.incident_id = incidents.id "
        "AND substr(p.id_path, 1, length(?3)) = ?3)) ORDER BY id LIMIT ?4");
    q->Bind(1, f.after_id).Bind(2, f.status).Bind(3, f.under_id_path).Bind(4, f.limit);
    while (q->Next() == Step::kRow) out.push_back(IncidentOf(*q));
  }
  for (IncidentRow& row : out) FillMembers(db, row);
  return out;
}

std::vector<std::string> IncidentIdPaths(Connection& db, std::int64_t incident_id) {
  std::vector<std::string> out;
  auto q = db.Query(
      "SELECT p.id_path FROM incident_places ip JOIN places p ON p.id = ip.place_id "
      "WHERE ip.incident_id = ?1 UNION SELECT p.id_path FROM incident_people ir "
      "JOIN residents r ON r.id = ir.resident_id JOIN places p ON p.id = r.place_id "
      "WHERE ir.incident_id = ?1");
  q->Bind(1, incident_id);
  while (q->Next() == Step::kRow) out.push_back(q->Str(0));
  return out;
}

void AppendIncidentEvent(Tx& tx, std::int64_t incident_id, const IncidentEventRow& e) {
  auto q = tx.Query(
      "INSERT INTO incident_events(incident_id, at, event, detail, actor) VALUES (?, ?, ?, ?, ?)");
  q->Bind(1, incident_id).Bind(2, e.at).Bind(3, e.event).Bind(4, e.detail).Bind(5, e.actor);
  q->RunOrThrow();
}

std::vector<IncidentEventRow> IncidentEvents(Connection& db, std::int64_t incident_id) {
  std::vector<IncidentEventRow> out;
  auto q = db.Query(
      "SELECT at, event, detail, actor FROM incident_events WHERE incident_id = ? ORDER BY id");
  q->Bind(1, incident_id);
  while (q->Next() == Step::kRow) out.push_back({q->Int(0), q->Str(1), q->Str(2), q->Str(3)});
  return out;
}

void InsertChecklistItem(Tx& tx, std::int64_t incident_id, std::string_view item) {
  auto q = tx.Query("INSERT INTO incident_checklist(incident_id, item) VALUES (?, ?)");
  q->Bind(1, incident_id).Bind(2, item);
  q->RunOrThrow();
}

void SetChecklistResult(Tx& tx, std::int64_t incident_id, std::string_view item,
                        std::string_view result, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE incident_checklist SET done_at = ?, result = ? WHERE incident_id = ? AND item = ?");
  q->Bind(1, now).Bind(2, result).Bind(3, incident_id).Bind(4, item);
  q->RunOrThrow();
}

std::vector<ChecklistRow> Checklist(Connection& db, std::int64_t incident_id) {
  std::vector<ChecklistRow> out;
  auto q = db.Query(
      "SELECT item, done_at, result FROM incident_checklist WHERE incident_id = ? ORDER BY rowid");
  q->Bind(1, incident_id);
  while (q->Next() == Step::kRow) out.push_back({q->Str(0), q->OptInt(1), q->OptStr(2)});
  return out;
}

}  // namespace swabline::store
