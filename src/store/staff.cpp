#include "store/staff.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kStaffColumns =
    "SELECT s.id, s.name, s.phone, s.kind, s.organisation, s.username, s.place_id, p.id_path "
    "FROM staff s JOIN places p ON p.id = s.place_id ";

StaffRow StaffOf(Statement& q) {
  return {q.Int(0), q.Str(1), q.Str(2), q.Str(3), q.Str(4), q.OptStr(5), q.Int(6), q.Str(7)};
}

std::vector<std::int64_t> MembersOf(Connection& db, std::int64_t group_id) {
  std::vector<std::int64_t> out;
  auto q =
      db.Query("SELECT staff_id FROM work_group_members WHERE work_group_id = ? ORDER BY staff_id");
  q->Bind(1, group_id);
  while (q->Next() == Step::kRow) out.push_back(q->Int(0));
  return out;
}

}  // namespace

std::int64_t InsertStaff(Tx& tx, const StaffRow& row, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO staff(name, phone, kind, organisation, username, place_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, row.name).Bind(2, row.phone).Bind(3, row.kind).Bind(4, row.organisation);
  q->Bind(5, row.username).Bind(6, row.place_id).Bind(7, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<StaffRow> FindStaff(Connection& db, std::int64_t id) {
  auto q = db.Query(std::string(kStaffColumns) + "WHERE s.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return StaffOf(*q);
}

std::vector<StaffRow> ListStaffRows(Connection& db, const std::string& under_id_path,
                                    std::int64_t cursor, int limit) {
  std::vector<StaffRow> out;
  auto q = db.Query(std::string(kStaffColumns) +
                    "WHERE substr(p.id_path, 1, length(?1)) = ?1 AND s.id > ?2 ORDER BY s.id "
                    "LIMIT ?3");
  q->Bind(1, under_id_path).Bind(2, cursor).Bind(3, limit);
  while (q->Next() == Step::kRow) out.push_back(StaffOf(*q));
  return out;
}

std::int64_t InsertWorkGroup(Tx& tx, const WorkGroupRow& row, std::int64_t now) {
  auto q = tx.Query("INSERT INTO work_groups(name, place_id, created_at) VALUES (?, ?, ?)");
  q->Bind(1, row.name).Bind(2, row.place_id).Bind(3, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<WorkGroupRow> FindWorkGroup(Connection& db, std::int64_t id) {
  auto q = db.Query(
      "SELECT g.id, g.name, g.place_id, p.id_path FROM work_groups g JOIN places p ON p.id = "
      "g.place_id WHERE g.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  WorkGroupRow row{q->Int(0), q->Str(1), q->Int(2), q->Str(3), {}};
  row.member_ids = MembersOf(db, id);
  return row;
}

void AddWorkGroupMember(Tx& tx, std::int64_t group_id, std::int64_t staff_id) {
  auto q =
      tx.Query("INSERT OR IGNORE INTO work_group_members(work_group_id, staff_id) VALUES (?, ?)");
  q->Bind(1, group_id).Bind(2, staff_id);
  q->RunOrThrow();
}

std::vector<WorkGroupRow> ListWorkGroupRows(Connection& db, const std::string& under_id_path) {
  std::vector<WorkGroupRow> out;
  {
    auto q = db.Query(
        "SELECT g.id, g.name, g.place_id, p.id_path FROM work_groups g JOIN places p ON p.id = "
        "g.place_id WHERE substr(p.id_path, 1, length(?1)) = ?1 ORDER BY g.id");
    q->Bind(1, under_id_path);
    while (q->Next() == Step::kRow) out.push_back({q->Int(0), q->Str(1), q->Int(2), q->Str(3), {}});
  }
  for (WorkGroupRow& g : out) g.member_ids = MembersOf(db, g.id);
  return out;
}

std::int64_t InsertShift(Tx& tx, const ShiftRow& row, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO shifts(staff_id, place_id, starts_at, ends_at, duty, created_at) VALUES (?, "
      "?, ?, ?, ?, ?)");
  q->Bind(1, row.staff_id).Bind(2, row.place_id).Bind(3, row.starts_at).Bind(4, row.ends_at);
  q->Bind(5, row.duty).Bind(6, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::vector<ShiftRow> ShiftsAt(Connection& db, const std::string& under_id_path, std::int64_t at) {
  std::vector<ShiftRow> out;
  auto q = db.Query(
      "SELECT f.id, f.staff_id, f.place_id, f.starts_at, f.ends_at, f.duty, p.name FROM shifts f "
      "JOIN places p ON p.id = f.place_id WHERE f.ends_at > ?2 AND f.starts_at <= ?2 AND "
      "substr(p.id_path, 1, length(?1)) = ?1 ORDER BY f.place_id, f.starts_at, f.id");
  q->Bind(1, under_id_path).Bind(2, at);
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), q->Int(1), q->Int(2), q->Int(3), q->Int(4), q->Str(5), q->Str(6)});
  return out;
}

std::vector<ScansInHour> ScansPerHour(Connection& db, const std::string& under_id_path,
                                      std::int64_t since) {
  std::vector<ScansInHour> out;
  auto q = db.Query(
      "SELECT s.sampled_by, s.sampled_at / 3600000000 AS h, COUNT(*) FROM samples s JOIN tubes t "
      "ON t.barcode = s.tube_barcode JOIN sites i ON i.id = t.site_id JOIN places p ON p.id = "
      "i.place_id WHERE s.sampled_at >= ?2 AND s.voided_at IS NULL AND substr(p.id_path, 1, "
      "length(?1)) = ?1 GROUP BY h, s.sampled_by ORDER BY h, s.sampled_by");
  q->Bind(1, under_id_path).Bind(2, since);
  while (q->Next() == Step::kRow) out.push_back({q->Str(0), q->Int(1) * 3600000000LL, q->Int(2)});
  return out;
}

}  // namespace swabline::store
