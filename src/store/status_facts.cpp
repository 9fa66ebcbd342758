#include "store/status_facts.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "core/place.hpp"
#include "store/columns.hpp"

namespace swabline::store {
namespace {

constexpr int kLevels = 6;  // district → room

/// "EXISTS (… place_id = ?2) OR … OR EXISTS (… place_id = ?7)": whether round r covers the
/// home whose ids along its path are bound to ?2…?7. Six equality probes of the primary key
/// (round_id, place_id) cost half of `place_id IN (?2, …, ?7)`, which builds a temporary
/// index of the list on every execution.
std::string CoversHome() {
  std::string sql = "(";
  for (int i = 0; i < kLevels; ++i) {
    if (i) sql += " OR ";
    sql += "EXISTS (SELECT 1 FROM round_places rp WHERE rp.round_id = r.id AND rp.place_id = ?" +
           std::to_string(i + 2) + ")";
  }
  return sql + ")";
}

/// The levels of the active zones on the home or an ancestor, comma-separated: one probe of
/// the partial index zones_active per level of the path.
std::string ZonesOverHome() {
  std::string sql =
      "(SELECT group_concat(z.level, ',') FROM zones z WHERE z.lifted_at IS NULL AND (";
  for (int i = 0; i < kLevels; ++i) {
    if (i) sql += " OR ";
    sql += "z.place_id = ?" + std::to_string(i + 2);
  }
  return sql + "))";
}

std::string StatusFactsSql() {
  // Rounds are walked newest first by rowid; each walk stops at the first covering round.
  std::string sql =
      "SELECT c.latest, c.closed, EXISTS (SELECT 1 FROM samples x WHERE x.resident_id = ?1 AND "
      "x.round_id = c.closed AND x.voided_at IS NULL), s.round_id, s.tube_barcode, s.sampled_at, "
      "t.result, t.capacity, t.purpose, $zones FROM (SELECT "
      "(SELECT r.id FROM rounds r WHERE $covers ORDER BY r.id DESC LIMIT 1) AS latest, "
      "(SELECT r.id FROM rounds r WHERE r.status = 'closed' AND $covers ORDER BY r.id DESC "
      "LIMIT 1) AS closed) c LEFT JOIN samples s ON s.id = (SELECT y.id FROM samples y WHERE "
      "y.resident_id = ?1 AND y.voided_at IS NULL ORDER BY y.sampled_at DESC, y.id DESC LIMIT 1) "
      "LEFT JOIN tubes t ON t.barcode = s.tube_barcode";
  const std::string covers = CoversHome();
  for (auto at = sql.find("$covers"); at != std::string::npos; at = sql.find("$covers"))
    sql.replace(at, 7, covers);
  const auto at = sql.find("$zones");
  sql.replace(at, 6, ZonesOverHome());
  return sql;
}

}  // namespace

StatusFactsRow StatusFactsOf(Connection& db, std::int64_t resident_id,
                             std::string_view home_id_path) {
  static const std::string kSql = StatusFactsSql();
  auto q = db.Query(kSql);
  q->Bind(1, resident_id);
  const std::vector<std::int64_t> ids = core::IdsAlong(home_id_path);
  if (ids.size() > kLevels) throw std::logic_error("a home deeper than six levels");
  // Unused levels stay NULL, which equals nothing.
  for (std::size_t i = 0; i < ids.size(); ++i) q->Bind(static_cast<int>(i) + 2, ids[i]);
  StatusFactsRow out;
  if (q->Next() != Step::kRow) return out;
  out.latest_round = q->OptInt(0);
  out.latest_closed_round = q->OptInt(1);
  out.sampled_in_latest_closed = q->Int(2) != 0;
  if (!q->IsNull(9)) {
    std::string_view levels = q->Text(9);
    for (std::size_t start = 0; start <= levels.size();) {
      const std::size_t comma = std::min(levels.find(',', start), levels.size());
      out.zone_levels.emplace_back(levels.substr(start, comma - start));
      start = comma + 1;
    }
  }
  if (!q->IsNull(3)) {
    SampleFactRow& s = out.latest_sample.emplace();
    s.round_id = q->Int(3);
    s.tube = q->Str(4);
    s.sampled_at = q->Int(5);
    if (!q->IsNull(6)) s.result = EnumColumn(core::ParseTubeResult, q->Text(6), "tubes", "result");
    s.capacity = static_cast<int>(q->Int(7));
    s.purpose = EnumColumn(core::ParseTubePurpose, q->Text(8), "tubes", "purpose");
  }
  return out;
}

}  // namespace swabline::store
