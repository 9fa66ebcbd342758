#pragma once
/// Rows of zones: a level of control over a place, in force from started_at until lifted_at.
/// A person is in a zone when their home is at or under its place.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct ZoneRow {
  std::int64_t id = 0;
  std::int64_t place_id = 0;
  std::string level;
  std::optional<std::int64_t> incident_id;
  std::string reason;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> lifted_at;
  std::optional<std::string> stepped_down_from;  // the level a lifting rule stepped it down from
};

std::int64_t InsertZone(Tx& tx, const ZoneRow& row);
/// Inserts the rows (their ids ignored), many to a statement. Returns the first one's id; the
/// others follow it in order (id + 1, id + 2, …).
std::int64_t InsertZones(Tx& tx, std::span<const ZoneRow> rows);
std::optional<ZoneRow> FindZone(Connection& db, std::int64_t id);
void LiftZoneRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now);
/// The incident's active zone of `level` over exactly `place_id`, if any.
std::optional<std::int64_t> ActiveZoneOn(Connection& db, std::int64_t place_id,
                                         std::string_view level, std::int64_t incident_id);
/// The incident's zones, oldest first.
std::vector<ZoneRow> ZonesOfIncident(Connection& db, std::int64_t incident_id);
/// Zones (only active ones when `active_only`) whose place is at or under `under_id_path`
/// ("" = anywhere), oldest first.
std::vector<ZoneRow> ListZoneRows(Connection& db, bool active_only, std::string_view under_id_path);
/// What one round found in a place (its residents' valid samples taken at or after `since`).
struct PlaceRoundRow {
  std::int64_t round_id = 0;
  std::int64_t last_sampled_at = 0;
  std::optional<std::int64_t> last_resulted_at;  // the latest result among them
  std::int64_t samples = 0;
  std::int64_t negatives = 0;  // samples whose tube's result is negative
};
/// Per round, the samples of residents at or under `id_path` taken at or after `since`.
std::vector<PlaceRoundRow> RoundsInPlace(Connection& db, std::string_view id_path,
                                         std::int64_t since);
/// When the latest sample of a resident at or under `id_path` in a tube now positive was
/// taken (a positive pool counts: someone in it may live there).
std::optional<std::int64_t> LastPositiveInPlace(Connection& db, std::string_view id_path);

/// The levels of the active zones over the home at `home_id_path` (on it or an ancestor).
std::vector<std::string> ActiveLevelsOver(Connection& db, std::string_view home_id_path);
/// Whether a zone of `level` is in force on exactly the place: one index probe.
bool HasActiveZoneOn(Connection& db, std::int64_t place_id, std::string_view level);

}  // namespace swabline::store
