#include "store/rounds.hpp"

#include "store/columns.hpp"

namespace swabline::store {
namespace {

RoundRow ReadRound(Statement& q) {
  RoundRow r;
  r.id = q.Int(0);
  r.name = q.Str(1);
  r.pool_size = static_cast<int>(q.Int(2));
  r.status = EnumColumn(core::ParseRoundStatus, q.Text(3), "rounds", "status");
  r.starts_at = q.OptInt(4);
  r.ends_at = q.OptInt(5);
  r.created_at = q.Int(6);
  r.closed_at = q.OptInt(7);
  return r;
}

void LoadPlaces(Connection& db, RoundRow& r) {
  auto q = db.Query("SELECT place_id FROM round_places WHERE round_id = ? ORDER BY place_id");
  q->Bind(1, r.id);
  while (q->Next() == Step::kRow) r.place_ids.push_back(q->Int(0));
}

}  // namespace

std::string SubtreeEnd(const std::string& id_path) {
  std::string end = id_path;
  if (!end.empty()) end.back() = '0';
  return end;
}

std::int64_t InsertRound(Tx& tx, const RoundRow& row) {
  {
    auto q = tx.Query(
        "INSERT INTO rounds(name, pool_size, status, starts_at, ends_at, created_at) VALUES (?, ?, "
        "'active', ?, ?, ?)");
    q->Bind(1, row.name).Bind(2, row.pool_size).Bind(3, row.starts_at).Bind(4, row.ends_at);
    q->Bind(5, row.created_at);
    q->RunOrThrow();
  }
  const std::int64_t id = tx.db().LastInsertId();
  for (std::int64_t place : row.place_ids) {
    auto q = tx.Query("INSERT OR IGNORE INTO round_places(round_id, place_id) VALUES (?, ?)");
    q->Bind(1, id).Bind(2, place);
    q->RunOrThrow();
  }
  return id;
}

std::optional<RoundRow> FindRound(Connection& db, std::int64_t id) {
  std::optional<RoundRow> r;
  {
    auto q = db.Query(
        "SELECT id, name, pool_size, status, starts_at, ends_at, created_at, closed_at FROM rounds "
        "WHERE id = ?");
    q->Bind(1, id);
    if (q->Next() != Step::kRow) return std::nullopt;
    r = ReadRound(*q);
  }
  LoadPlaces(db, *r);
  return r;
}

std::vector<RoundRow> ListRounds(Connection& db, std::optional<core::RoundStatus> status,
                                 std::string_view scope_id_path, std::int64_t before_id,
                                 int limit) {
  std::vector<RoundRow> out;
  {
    auto q = db.Query(
        "SELECT id, name, pool_size, status, starts_at, ends_at, created_at, closed_at FROM rounds "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (?2 = 0 OR id < ?2) AND (?3 = '' OR "
        "EXISTS ("
        "SELECT 1 FROM round_places rp JOIN places p ON p.id = rp.place_id WHERE rp.round_id = "
        "rounds.id AND (substr(p.id_path, 1, length(?3)) = ?3 OR substr(?3, 1, length(p.id_path)) "
        "= p.id_path))) ORDER BY id DESC LIMIT ?4");
    if (status) q->Bind(1, core::RoundStatusName(*status));
    q->Bind(2, before_id).Bind(3, scope_id_path).Bind(4, limit);
    while (q->Next() == Step::kRow) out.push_back(ReadRound(*q));
  }
  for (auto& r : out) LoadPlaces(db, r);
  return out;
}

void CloseRound(Tx& tx, std::int64_t id, std::int64_t at) {
  auto q = tx.Query(
      "UPDATE rounds SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'active'");
  q->Bind(1, at).Bind(2, id);
  q->RunOrThrow();
}

std::vector<std::string> RoundPlaceIdPaths(Connection& db, std::int64_t round_id) {
  auto q = db.Query(
      "SELECT p.id_path FROM round_places rp JOIN places p ON p.id = rp.place_id WHERE "
      "rp.round_id = ?");
  q->Bind(1, round_id);
  std::vector<std::string> out;
  while (q->Next() == Step::kRow) out.push_back(q->Str(0));
  return out;
}

std::int64_t InsertSite(Tx& tx, const std::string& name, std::int64_t place_id, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO sites(name, place_id, region, created_at) VALUES (?, ?, (SELECT region FROM "
      "places WHERE id = ?), ?)");
  q->Bind(1, name).Bind(2, place_id).Bind(3, place_id).Bind(4, now);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::optional<SiteRow> FindSite(Connection& db, std::int64_t id) {
  auto q = db.Query(
      "SELECT s.id, s.name, s.place_id, p.id_path, p.path FROM sites s JOIN places p ON p.id = "
      "s.place_id WHERE s.id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return SiteRow{q->Int(0), q->Str(1), q->Int(2), q->Str(3), q->Str(4)};
}

std::vector<SiteRow> ListSitesUnder(Connection& db, const std::string& id_path,
                                    std::int64_t after_id, int limit) {
  auto q = db.Query(
      "SELECT s.id, s.name, s.place_id, p.id_path, p.path FROM sites s JOIN places p ON p.id = "
      "s.place_id WHERE p.id_path >= ? AND p.id_path < ? AND s.id > ? ORDER BY s.id LIMIT ?");
  q->Bind(1, id_path).Bind(2, SubtreeEnd(id_path)).Bind(3, after_id).Bind(4, limit);
  std::vector<SiteRow> out;
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), q->Str(1), q->Int(2), q->Str(3), q->Str(4)});
  return out;
}

}  // namespace swabline::store
