#include "store/requests.hpp"

namespace swabline::store {
namespace {

// Whether an active zone of a level that confines people lies on the home or an ancestor
// (prevention does not: it only asks people to take care).
constexpr std::string_view kZoned =
    "EXISTS (SELECT 1 FROM zones z JOIN places zp ON zp.id = z.place_id WHERE z.lifted_at IS "
    "NULL AND (z.level = 'temporary' OR z.level = 'controlled' OR z.level = 'sealed') AND "
    "substr(p.id_path, 1, length(zp.id_path)) = zp.id_path)";

std::string Columns() {
  return "SELECT q.id, q.resident_id, q.category, q.detail, q.status, q.source, q.created_by, "
         "q.assignee, q.resolution, q.created_at, q.due_at, q.closed_at, r.name, r.doc_masked, "
         "r.place_id, p.id_path, " +
         std::string(kZoned) +
         " AS zoned FROM requests q JOIN residents r ON r.id = q.resident_id JOIN places p ON "
         "p.id = r.place_id ";
}

RequestRow RowOf(Statement& q) {
  RequestRow row;
  row.id = q.Int(0);
  row.resident_id = q.Int(1);
  row.category = q.Str(2);
  row.detail = q.Str(3);
  row.status = q.Str(4);
  row.source = q.Str(5);
  row.created_by = q.Str(6);
  row.assignee = q.OptStr(7);
  row.resolution = q.OptStr(8);
  row.created_at = q.Int(9);
  row.due_at = q.Int(10);
  row.closed_at = q.OptInt(11);
  row.person_name = q.Str(12);
  row.person_masked = q.Str(13);
  row.home_place_id = q.Int(14);
  row.home_id_path = q.Str(15);
  row.zoned = q.Int(16) != 0;
  return row;
}

}  // namespace

std::int64_t InsertRequest(Tx& tx, const RequestRow& row) {
  auto q = tx.Query(
      "INSERT INTO requests(resident_id, category, detail, source, created_by, created_at, "
      "due_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, row.resident_id).Bind(2, row.category).Bind(3, row.detail).Bind(4, row.source);
  q->Bind(5, row.created_by).Bind(6, row.created_at).Bind(7, row.due_at);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<RequestRow> FindRequest(Connection& db, std::int64_t id) {
  auto q = db.Query(Columns() + "WHERE q.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return RowOf(*q);
}

void AssignRequestRow(Tx& tx, std::int64_t id, std::string_view assignee) {
  auto q = tx.Query("UPDATE requests SET assignee = ?, status = 'assigned' WHERE id = ?");
  q->Bind(1, assignee).Bind(2, id);
  q->RunOrThrow();
}

void CloseRequestRow(Tx& tx, std::int64_t id, std::string_view resolution, std::int64_t now) {
  auto q =
      tx.Query("UPDATE requests SET resolution = ?, status = 'closed', closed_at = ? WHERE id = ?");
  q->Bind(1, resolution).Bind(2, now).Bind(3, id);
  q->RunOrThrow();
}

void AppendRequestEvent(Tx& tx, std::int64_t request_id, const RequestEventRow& row) {
  auto q = tx.Query(
      "INSERT INTO request_events(request_id, at, event, detail, actor) VALUES (?, ?, ?, ?, ?)");
  q->Bind(1, request_id).Bind(2, row.at).Bind(3, row.event).Bind(4, row.detail);
  q->Bind(5, row.actor);
  q->RunOrThrow();
}

std::vector<RequestEventRow> RequestEvents(Connection& db, std::int64_t request_id) {
  std::vector<RequestEventRow> out;
  auto q = db.Query(
      "SELECT at, event, detail, actor FROM request_events WHERE request_id = ? ORDER BY id");
  q->Bind(1, request_id);
  while (q->Next() == Step::kRow) out.push_back({q->Int(0), q->Str(1), q->Str(2), q->Str(3)});
  return out;
}

std::vector<RequestRow> ListRequestRows(Connection& db, const RequestFilter& f) {
  std::vector<RequestRow> out;
  auto q = db.Query(Columns() +
                    "WHERE (CAST(?1 AS TEXT) IS NULL OR (?1 = 'open' AND q.status <> 'closed') OR "
                    "q.status = ?1) AND (CAST(?2 AS INTEGER) IS NULL OR (q.status <> 'closed' AND "
                    "q.due_at < ?2)) AND substr(p.id_path, 1, length(?3)) = "
                    "?3 ORDER BY zoned DESC, q.due_at, q.id LIMIT ?4 OFFSET ?5");
  q->Bind(1, f.status).Bind(2, f.overdue_at).Bind(3, f.under_id_path);
  q->Bind(4, f.limit).Bind(5, f.offset);
  while (q->Next() == Step::kRow) out.push_back(RowOf(*q));
  return out;
}

}  // namespace swabline::store
