#pragma once
/// Rows of testing rounds, the places they cover, and sampling sites.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/round.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct RoundRow {
  std::int64_t id = 0;
  std::string name;
  int pool_size = 10;
  core::RoundStatus status = core::RoundStatus::kActive;
  std::optional<std::int64_t> starts_at;
  std::optional<std::int64_t> ends_at;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> closed_at;
  std::vector<std::int64_t> place_ids;
};

std::int64_t InsertRound(Tx& tx, const RoundRow& row);
std::optional<RoundRow> FindRound(Connection& db, std::int64_t id);
/// Newest first, ids below `before_id` when non-zero (ids descend), at most `limit`; only
/// rounds with `status` when given, and only those that overlap the subtree `scope_id_path`
/// ("" for everywhere) — one of their places lies in it or contains it — filtered here,
/// before the limit, so that a scoped page is full.
std::vector<RoundRow> ListRounds(Connection& db, std::optional<core::RoundStatus> status,
                                 std::string_view scope_id_path, std::int64_t before_id, int limit);
void CloseRound(Tx& tx, std::int64_t id, std::int64_t at);
/// id_paths of the round's places: a resident is expected when their home lies under one.
std::vector<std::string> RoundPlaceIdPaths(Connection& db, std::int64_t round_id);

struct SiteRow {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::string place_id_path;
  std::string place_path;
};

std::int64_t InsertSite(Tx& tx, const std::string& name, std::int64_t place_id, std::int64_t now);
std::optional<SiteRow> FindSite(Connection& db, std::int64_t id);
/// Sites under the subtree with `id_path`, ids above `after_id`, by id, at most `limit`.
std::vector<SiteRow> ListSitesUnder(Connection& db, const std::string& id_path,
                                    std::int64_t after_id, int limit);

/// The upper bound of the id_path range of a subtree: "/1/5/" → "/1/50" ('0' follows '/').
std::string SubtreeEnd(const std::string& id_path);

}  // namespace swabline::store
