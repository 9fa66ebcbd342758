#include "service/rounds.hpp"

#include <algorithm>

#include "core/tube.hpp"
#include "service/page.hpp"
#include "service/place_scope.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/rounds.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

/// A round concerns a scoped user when one of its places overlaps their subtree: the place
/// lies inside it, or contains it (a district round reaches every community).
bool Overlaps(store::Connection& db, const Actor& actor, const store::RoundRow& round) {
  if (actor.scope_id_path.empty()) return true;
  for (const auto& id_path : store::RoundPlaceIdPaths(db, round.id))
    if (core::InSubtree(id_path, actor.scope_id_path) ||
        core::InSubtree(actor.scope_id_path, id_path))
      return true;
  return false;
}

/// Acting on a whole round (closing it) needs every one of its places in the user's subtree.
core::Status RequireWholeRound(store::Connection& db, const Actor& actor,
                               const store::RoundRow& round) {
  for (const auto& id_path : store::RoundPlaceIdPaths(db, round.id))
    SWB_TRY(RequireInScope(actor, id_path));
  return core::Ok{};
}

Round RoundOf(store::RoundRow r) {
  return {r.id,        r.name,    std::move(r.place_ids), r.pool_size, r.status,
          r.starts_at, r.ends_at, r.created_at,           r.closed_at};
}

}  // namespace

core::Result<Round> CreateRound(store::Tx& tx, const Env& env, const Actor& actor,
                                const NewRound& in) {
  SWB_TRY(Require(actor, core::Permission::kManageRounds));
  if (in.name.empty())
    return core::Fail(ErrorCode::kMissingField, "a round needs a name").With("field", "name");
  if (in.place_ids.empty())
    return core::Fail(ErrorCode::kMissingField, "a round covers at least one place")
        .With("field", "place_ids");
  SWB_TRY(core::CheckPoolSize(in.pool_size));
  if (in.starts_at && in.ends_at && *in.ends_at <= *in.starts_at)
    return core::Fail(ErrorCode::kInvalidField, "ends_at must be after starts_at")
        .With("field", "ends_at");
  for (std::int64_t id : in.place_ids) SWB_TRY(ScopedPlace(tx.db(), actor, id));
  store::RoundRow row;
  row.name = in.name;
  row.pool_size = in.pool_size;
  row.starts_at = in.starts_at;
  row.ends_at = in.ends_at;
  row.created_at = env.clock.Now();
  row.place_ids = in.place_ids;
  row.id = store::InsertRound(tx, row);
  store::AppendAudit(tx, row.created_at,
                     {actor.username, "round.create", "round", std::to_string(row.id),
                      "pool_size=" + std::to_string(row.pool_size)});
  return RoundOf(*store::FindRound(tx.db(), row.id));
}

core::Result<Round> CloseRound(store::Tx& tx, const Env& env, const Actor& actor, std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kManageRounds));
  auto round = store::FindRound(tx.db(), id);
  if (!round) return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(id));
  SWB_TRY(RequireWholeRound(tx.db(), actor, *round));
  if (round->status == core::RoundStatus::kClosed) return RoundOf(std::move(*round));
  const core::Micros now = env.clock.Now();
  store::CloseRound(tx, id, now);
  store::AppendAudit(tx, now, {actor.username, "round.close", "round", std::to_string(id), ""});
  return RoundOf(*store::FindRound(tx.db(), id));
}

core::Result<Round> GetRound(store::Connection& db, const Actor& actor, std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  auto round = store::FindRound(db, id);
  if (!round) return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(id));
  if (!Overlaps(db, actor, *round))
    return core::Fail(ErrorCode::kForbidden,
                      "this round lies outside your places (" + actor.scope_path + ")");
  return RoundOf(std::move(*round));
}

core::Result<RoundPage> ListRounds(store::Connection& db, const Actor& actor,
                                   std::optional<core::RoundStatus> status, std::int64_t before_id,
                                   int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadPlaces));
  limit = std::max(limit, 1);
  auto rows = store::ListRounds(db, status, actor.scope_id_path, before_id, limit + 1);
  RoundPage page;
  page.next_cursor = CutPage(rows, limit);
  for (auto& r : rows) page.rounds.push_back(RoundOf(std::move(r)));
  return page;
}

}  // namespace swabline::service
