#include "store/incidents.hpp"

namespace swabline::store {

std::int64_t InsertIncident(Tx& tx, const std::string& kind, std::int64_t now,
                            const std::vector<std::int64_t>& people) {
  {
    auto q = tx.Query("INSERT INTO incidents(kind, status, opened_at) VALUES (?, 'open', ?)");
    q->Bind(1, kind).Bind(2, now);
    q->RunOrThrow();
  }
  const std::int64_t id = tx.db().LastInsertId();
  for (std::int64_t person : people) {
    auto q = tx.Query("INSERT OR IGNORE INTO incident_people(incident_id, resident_id) VALUES (?, ?)");
    q->Bind(1, id).Bind(2, person);
    q->RunOrThrow();
  }
  return id;
}

std::optional<IncidentRow> FindIncident(Connection& db, std::int64_t id) {
  IncidentRow row;
  {
    auto q = db.Query(
        "SELECT id, kind, status, tube_barcode, opened_at, closed_at FROM incidents WHERE id = ?");
    q->Bind(1, id);
    if (q->Next() != Step::kRow) return std::nullopt;
    row = IncidentRow{q->Int(0), q->Str(1), q->Str(2), q->OptStr(3), q->Int(4), q->OptInt(5), {}};
  }
  auto q = db.Query("SELECT resident_id FROM incident_people WHERE incident_id = ? ORDER BY resident_id");
  q->Bind(1, id);
  while (q->Next() == Step::kRow) row.people.push_back(q->Int(0));
  return row;
}

}  // namespace swabline::store
