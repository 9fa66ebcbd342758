#pragma once
/// Zones (docs/outbreak.md): a level of control over a place. The system starts them when a
/// result is positive and lifts an incident's temporary zones when it closes; people with the
/// manage_incidents permission start and lift them by hand.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/person_status.hpp"
#include "core/place.hpp"
#include "core/result.hpp"
#include "core/zone_policy.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"
#include "store/outbox.hpp"
#include "store/zones.hpp"

namespace swabline::service {

struct Zone {
  std::int64_t id = 0;
  std::int64_t place_id = 0;
  std::string level;
  std::optional<std::int64_t> incident_id;
  std::string reason;
  core::Micros started_at = 0;
  std::optional<core::Micros> lifted_at;
  std::optional<std::string> stepped_down_from;  // set on a zone a lifting rule stepped down
};

Zone ZoneOf(const store::ZoneRow& row);

/// Who changes something and when: the acting user's name (the uploader, for what a result
/// sets off) and the transaction's instant.
struct ChangeBy {
  store::Tx& tx;
  core::Micros now = 0;
  std::string actor;
  /// The kinds of the places read so far in this change (a place's kind never changes: the
  /// schema refuses it). The people of one upload's pools share most of their homes'
  /// ancestors, so each place is read once per change instead of once per person and zone.
  std::unordered_map<std::int64_t, core::PlaceKind> place_kinds = {};
  /// The zone policy in force, read once per change (PolicyOf): an upload's pools all follow
  /// the same one, and replacing it is a change of its own.
  std::optional<core::ZonePolicy> policy = {};
  /// Whether a sealed zone is in force on exactly this place, as probed in this change (a
  /// pool's members share their buildings, an upload's pools their streets); StartZone,
  /// LiftZone and a pool's zones keep it true to what they write.
  std::unordered_map<std::int64_t, bool> sealed_places = {};
};

/// Whether a sealed zone is in force over the home (on its place or any place above it),
/// probing each place once per change (ChangeBy::sealed_places).
bool SealedOver(ChangeBy& by, std::string_view home_id_path);
/// Keeps ChangeBy::sealed_places true to a zone of `level` started (or lifted) on the place.
void NoteZoneChange(ChangeBy& by, std::int64_t place_id, std::string_view level, bool started);

/// The zone policy in force for this change (service::LoadZonePolicy, read on first use).
const core::ZonePolicy& PolicyOf(ChangeBy& by);

/// The timeline detail of a zone's start or lift: "temporary over place 12: <reason>".
std::string ZoneEventDetail(std::string_view level, std::int64_t place_id, std::string_view reason);
/// The outbox row telling the zone's place that it started or was lifted (`event`).
store::OutboxRow ZoneMessage(const ChangeBy& by, std::string event, const store::ZoneRow& zone);

/// Starts a zone of `level` over the place for the incident (or none), unless the incident
/// has one of that level on the place already; records it on the incident's timeline and
/// tells the place's residents (outbox `zone_started`). Returns the zone's id.
/// `stepped_down_from`: the level of the zone a lifting rule ended to start this one.
std::int64_t StartZone(ChangeBy& by, std::int64_t place_id, core::ZoneLevel level,
                       std::optional<std::int64_t> incident_id, const std::string& reason,
                       std::optional<core::ZoneLevel> stepped_down_from = std::nullopt);
/// Tells the live dashboard that the zone started (or was lifted).
void PublishZone(ChangeBy& by, const store::ZoneRow& zone, bool started);
/// Lifts an active zone: timeline and outbox (`zone_lifted`) as StartZone.
void LiftZone(ChangeBy& by, const store::ZoneRow& zone, const std::string& reason);

/// Zones at or under the place (all in the actor's scope when none), only active ones when
/// `active_only`. kForbidden, kUnknownPlace.
core::Result<std::vector<Zone>> ListZones(store::Connection& db, const Actor& actor,
                                          bool active_only, std::optional<std::int64_t> place_id);

/// A zone by hand. kForbidden, kInvalidField (level), kReasonRequired, kUnknownPlace.
core::Result<Zone> CreateZone(store::Tx& tx, const Env& env, const Actor& actor,
                              std::int64_t place_id, const std::string& level,
                              const std::string& reason);

/// Lifts a zone by hand. kForbidden, kUnknownZone, kReasonRequired, kZoneLifted.
core::Result<Zone> LiftZoneByHand(store::Tx& tx, const Env& env, const Actor& actor,
                                  std::int64_t id, const std::string& reason);

}  // namespace swabline::service
