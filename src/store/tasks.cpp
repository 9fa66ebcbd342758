#include "store/tasks.hpp"

#include "store/bulk_insert.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kTaskColumns =
    "SELECT t.id, t.incident_id, t.kind, t.resident_id, t.status, t.door_to_door, t.assignee, "
    "t.due_at, t.result FROM tasks t ";

TaskRow TaskOf(Statement& q) {
  return TaskRow{q.Int(0),      q.Int(1),    q.Str(2), q.Int(3),   q.Str(4),
                 q.Int(5) != 0, q.OptStr(6), q.Int(7), q.OptStr(8)};
}

std::optional<TaskRow> OneTask(StatementUse& q) {
  if (q->Next() != Step::kRow) return std::nullopt;
  return TaskOf(*q);
}

}  // namespace

std::int64_t InsertTask(Tx& tx, const TaskRow& row, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO tasks(incident_id, kind, resident_id, door_to_door, assignee, due_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, row.incident_id).Bind(2, row.kind).Bind(3, row.resident_id);
  q->Bind(4, row.door_to_door ? 1 : 0).Bind(5, row.assignee).Bind(6, row.due_at).Bind(7, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::int64_t InsertTasks(Tx& tx, std::span<const TaskRow> rows, std::int64_t now) {
  static const MultiRowInsert kInsert(
      "INSERT INTO tasks(incident_id, kind, resident_id, door_to_door, assignee, due_at, "
      "created_at) VALUES ",
      "(?, ?, ?, ?, ?, ?, ?)", 7);
  return kInsert.Run(tx, rows.size(), [&](Statement& q, int at, std::size_t i) {
    const TaskRow& row = rows[i];
    q.Bind(at, row.incident_id).BindView(at + 1, row.kind).Bind(at + 2, row.resident_id);
    q.Bind(at + 3, row.door_to_door ? 1 : 0).Bind(at + 4, row.assignee).Bind(at + 5, row.due_at);
    q.Bind(at + 6, now);
  });
}

std::optional<TaskRow> FindTask(Connection& db, std::int64_t id) {
  auto q = db.Query(std::string(kTaskColumns) + "WHERE t.id = ?");
  q->Bind(1, id);
  return OneTask(q);
}

std::optional<TaskRow> FindTaskOf(Connection& db, std::int64_t incident_id,
                                  std::int64_t resident_id) {
  auto q = db.Query(std::string(kTaskColumns) + "WHERE t.incident_id = ? AND t.resident_id = ?");
  q->Bind(1, incident_id).Bind(2, resident_id);
  return OneTask(q);
}

void CompleteTask(Tx& tx, std::int64_t id, std::string_view result, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tasks SET status = 'done', result = ?, done_at = COALESCE(done_at, ?) WHERE id = ?");
  q->Bind(1, result).Bind(2, now).Bind(3, id);
  q->RunOrThrow();
}

void AssignTaskRow(Tx& tx, std::int64_t id, std::string_view assignee,
                   std::optional<std::int64_t> due_at) {
  auto q = tx.Query("UPDATE tasks SET assignee = ?, due_at = COALESCE(?, due_at) WHERE id = ?");
  q->Bind(1, assignee).Bind(2, due_at).Bind(3, id);
  q->RunOrThrow();
}

std::vector<TaskRow> TasksOfIncident(Connection& db, std::int64_t incident_id) {
  std::vector<TaskRow> out;
  auto q = db.Query(std::string(kTaskColumns) + "WHERE t.incident_id = ? ORDER BY t.id");
  q->Bind(1, incident_id);
  while (q->Next() == Step::kRow) out.push_back(TaskOf(*q));
  return out;
}

std::vector<TaskRow> ListTaskRows(Connection& db, const TaskFilter& f) {
  std::vector<TaskRow> out;
  auto q = db.Query(std::string(kTaskColumns) +
                    "JOIN residents r ON r.id = t.resident_id JOIN places p ON p.id = r.place_id "
                    "WHERE (CAST(?1 AS TEXT) IS NULL OR t.status = ?1) AND (CAST(?2 AS INTEGER) IS "
                    "NULL OR (t.status = 'open' "
                    "AND t.due_at < ?2)) AND substr(p.id_path, 1, length(?3)) = ?3 ORDER BY t.id");
  q->Bind(1, f.status).Bind(2, f.overdue_at).Bind(3, f.under_id_path);
  while (q->Next() == Step::kRow) out.push_back(TaskOf(*q));
  return out;
}

}  // namespace swabline::store
