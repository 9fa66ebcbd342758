#include "store/dashboard_rows.hpp"

#include "store/rounds.hpp"

namespace swabline::store {

namespace {
constexpr std::int64_t kHourMicros = 3600LL * 1'000'000;
}  // namespace

std::vector<SiteHourCount> SamplesByHour(Connection& db, const std::string& id_path,
                                         std::int64_t since) {
  auto q = db.Query(
      "SELECT p.id_path, (s.sampled_at - ?1) / ?4 AS h, COUNT(*) FROM sites si "
      "JOIN places p ON p.id = si.place_id "
      "JOIN tubes t ON t.site_id = si.id AND (t.sealed_at IS NULL OR t.sealed_at >= ?1) "
      "JOIN samples s ON s.tube_barcode = t.barcode "
      "WHERE p.id_path >= ?2 AND p.id_path < ?3 AND s.sampled_at >= ?1 AND s.voided_at IS NULL "
      "GROUP BY si.id, p.id_path, h");
  q->Bind(1, since).Bind(2, id_path).Bind(3, SubtreeEnd(id_path)).Bind(4, kHourMicros);
  std::vector<SiteHourCount> out;
  while (q->Next() == Step::kRow) out.push_back({q->Str(0), q->Int(1), q->Int(2)});
  return out;
}

std::vector<std::string> SitePlaces(Connection& db, const std::string& id_path) {
  auto q = db.Query(
      "SELECT DISTINCT p.id_path FROM sites si JOIN places p ON p.id = si.place_id "
      "WHERE p.id_path >= ? AND p.id_path < ?");
  q->Bind(1, id_path).Bind(2, SubtreeEnd(id_path));
  std::vector<std::string> out;
  while (q->Next() == Step::kRow) out.push_back(q->Str(0));
  return out;
}

std::vector<ResultedTube> TubesResultedSince(Connection& db, const std::string& id_path,
                                             std::int64_t since, std::int64_t sealed_after) {
  auto q = db.Query(
      "SELECT p.id_path, t.first_sample_at, t.resulted_at, t.result = 'positive' FROM sites si "
      "JOIN places p ON p.id = si.place_id "
      "JOIN tubes t ON t.site_id = si.id AND t.sealed_at >= ?4 "
      "WHERE p.id_path >= ?2 AND p.id_path < ?3 AND t.resulted_at >= ?1 "
      "AND t.first_sample_at IS NOT NULL");
  q->Bind(1, since).Bind(2, id_path).Bind(3, SubtreeEnd(id_path)).Bind(4, sealed_after);
  std::vector<ResultedTube> out;
  while (q->Next() == Step::kRow) out.push_back({q->Str(0), q->Int(1), q->Int(2), q->Int(3) != 0});
  return out;
}

std::vector<PlaceName> PlaceNames(Connection& db, const std::vector<std::int64_t>& ids) {
  std::vector<PlaceName> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    auto q = db.Query("SELECT name, path FROM places WHERE id = ?");
    q->Bind(1, id);
    if (q->Next() == Step::kRow) out.push_back({id, q->Str(0), q->Str(1)});
  }
  return out;
}

}  // namespace swabline::store
