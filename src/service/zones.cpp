#include "service/zones.hpp"

#include "service/live_events.hpp"
#include "service/zone_policy.hpp"
#include "store/audit.hpp"
#include "store/incidents.hpp"
#include "store/outbox.hpp"
#include "store/places.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

/// The outbox payload of a zone change: ids and fixed words only, so nothing needs escaping.
std::string ZonePayload(std::int64_t zone_id, std::int64_t place_id, std::string_view level,
                        std::optional<std::int64_t> incident_id) {
  return "{\"zone_id\":" + std::to_string(zone_id) + ",\"place_id\":" + std::to_string(place_id) +
         R"(,"level":")" + std::string(level) + R"(","incident_id":)" +
         (incident_id ? std::to_string(*incident_id) : "null") + "}";
}

void Record(ChangeBy& by, const std::string& event, const store::ZoneRow& zone,
            const std::string& reason) {
  if (zone.incident_id)
    store::AppendIncidentEvent(
        by.tx, *zone.incident_id,
        {by.now, event, ZoneEventDetail(zone.level, zone.place_id, reason), by.actor});
  store::AppendOutbox(by.tx, ZoneMessage(by, event, zone));
}

}  // namespace

void PublishZone(ChangeBy& by, const store::ZoneRow& zone, bool started) {
  const std::string_view level = StaticName<core::ZoneLevel>(
      zone.level, 4, [](core::ZoneLevel l) { return core::ZoneLevelName(l); });
  PublishAtPlace(by.tx,
                 started ? core::LiveEventKind::kZoneStarted : core::LiveEventKind::kZoneLifted,
                 zone.place_id, zone.id, by.now, level);
}

namespace {

core::Result<core::Place> PlaceInScope(store::Connection& db, const Actor& actor,
                                       std::int64_t place_id) {
  auto place = store::FindPlace(db, place_id);
  if (!place)
    return core::Fail(ErrorCode::kUnknownPlace, "no place with id " + std::to_string(place_id));
  SWB_TRY(RequireInScope(actor, place->id_path));
  return *place;
}

}  // namespace

bool SealedOver(ChangeBy& by, std::string_view home_id_path) {
  for (std::int64_t id : core::IdsAlong(home_id_path)) {
    auto hit = by.sealed_places.find(id);
    if (hit == by.sealed_places.end())
      hit = by.sealed_places.emplace(id, store::HasActiveZoneOn(by.tx.db(), id, "sealed")).first;
    if (hit->second) return true;
  }
  return false;
}

void NoteZoneChange(ChangeBy& by, std::int64_t place_id, std::string_view level, bool started) {
  if (level != core::ZoneLevelName(core::ZoneLevel::kSealed)) return;
  if (started)
    by.sealed_places[place_id] = true;
  else
    by.sealed_places.erase(place_id);  // another sealed zone may remain there: probe again
}

const core::ZonePolicy& PolicyOf(ChangeBy& by) {
  if (!by.policy) by.policy = LoadZonePolicy(by.tx.db());
  return *by.policy;
}

std::string ZoneEventDetail(std::string_view level, std::int64_t place_id,
                            std::string_view reason) {
  return std::string(level) + " over place " + std::to_string(place_id) + ": " +
         std::string(reason);
}

store::OutboxRow ZoneMessage(const ChangeBy& by, std::string event, const store::ZoneRow& zone) {
  return {std::move(event), "place", std::to_string(zone.place_id),
          ZonePayload(zone.id, zone.place_id, zone.level, zone.incident_id), by.now};
}

Zone ZoneOf(const store::ZoneRow& r) {
  return Zone{r.id,     r.place_id,   r.level,     r.incident_id,
              r.reason, r.started_at, r.lifted_at, r.stepped_down_from};
}

std::int64_t StartZone(ChangeBy& by, std::int64_t place_id, core::ZoneLevel level,
                       std::optional<std::int64_t> incident_id, const std::string& reason,
                       std::optional<core::ZoneLevel> stepped_down_from) {
  const std::string name(core::ZoneLevelName(level));
  if (incident_id)
    if (auto existing = store::ActiveZoneOn(by.tx.db(), place_id, name, *incident_id))
      return *existing;
  store::ZoneRow row{0, place_id, name, incident_id, reason, by.now, std::nullopt, std::nullopt};
  if (stepped_down_from)
    row.stepped_down_from = std::string(core::ZoneLevelName(*stepped_down_from));
  row.id = store::InsertZone(by.tx, row);
  NoteZoneChange(by, place_id, name, true);
  if (incident_id) store::AddIncidentPlace(by.tx, *incident_id, place_id);
  Record(by, "zone_started", row, reason);
  PublishZone(by, row, true);
  return row.id;
}

void LiftZone(ChangeBy& by, const store::ZoneRow& zone, const std::string& reason) {
  store::LiftZoneRow(by.tx, zone.id, reason, by.now);
  NoteZoneChange(by, zone.place_id, zone.level, false);
  Record(by, "zone_lifted", zone, reason);
  PublishZone(by, zone, false);
}

core::Result<std::vector<Zone>> ListZones(store::Connection& db, const Actor& actor,
                                          bool active_only, std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kReadIncidents));
  std::string under = actor.scope_id_path;
  if (place_id) {
    core::Place place;
    SWB_TRY_ASSIGN(place, PlaceInScope(db, actor, *place_id));
    under = place.id_path;
  }
  std::vector<Zone> out;
  for (const store::ZoneRow& row : store::ListZoneRows(db, active_only, under))
    out.push_back(ZoneOf(row));
  return out;
}

core::Result<Zone> CreateZone(store::Tx& tx, const Env& env, const Actor& actor,
                              std::int64_t place_id, const std::string& level,
                              const std::string& reason) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  const auto parsed = core::ParseZoneLevel(level);
  if (!parsed)
    return core::Fail(ErrorCode::kInvalidField,
                      "level must be temporary, sealed, controlled or prevention")
        .With("field", "level");
  if (reason.empty()) return core::Fail(ErrorCode::kReasonRequired, "say why the zone starts");
  SWB_TRY(PlaceInScope(tx.db(), actor, place_id));
  ChangeBy by{tx, env.clock.Now(), actor.username};
  const std::int64_t id = StartZone(by, place_id, *parsed, std::nullopt, reason);
  store::AppendAudit(tx, by.now,
                     {actor.username, "zone.start", "zone", std::to_string(id),
                      level + " place=" + std::to_string(place_id) + ": " + reason});
  return ZoneOf(*store::FindZone(tx.db(), id));
}

core::Result<Zone> LiftZoneByHand(store::Tx& tx, const Env& env, const Actor& actor,
                                  std::int64_t id, const std::string& reason) {
  SWB_TRY(Require(actor, core::Permission::kManageIncidents));
  auto zone = store::FindZone(tx.db(), id);
  if (!zone) return core::Fail(ErrorCode::kUnknownZone, "no zone with id " + std::to_string(id));
  SWB_TRY(PlaceInScope(tx.db(), actor, zone->place_id));
  if (reason.empty()) return core::Fail(ErrorCode::kReasonRequired, "say why the zone lifts");
  if (zone->lifted_at)
    return core::Fail(ErrorCode::kZoneLifted, "zone " + std::to_string(id) + " was lifted already");
  ChangeBy by{tx, env.clock.Now(), actor.username};
  LiftZone(by, *zone, reason);
  store::AppendAudit(tx, by.now, {actor.username, "zone.lift", "zone", std::to_string(id), reason});
  return ZoneOf(*store::FindZone(tx.db(), id));
}

}  // namespace swabline::service
