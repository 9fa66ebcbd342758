#pragma once
/// What the live dashboard hears of (GET /api/v1/events, docs/api.md "Live dashboard"): a
/// small fixed-size value, so that a use case records one on the scan hot path without
/// allocating, and the writer publishes them only once their batch has committed.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/civil_time.hpp"

namespace swabline::core {

enum class LiveEventKind : std::uint8_t {
  kSamples,  // samples accepted at a site (counted: one event per site and commit)
  kTubesSealed,
  kResults,  // tube results recorded (with how many positive)
  kIncidentOpened,
  kIncidentClosed,
  kZoneStarted,
  kZoneLifted,
  kTaskOverdue,
  kTaskDone,
  kRequestOpened,
  kRequestClosed,
};
inline constexpr std::size_t kLiveEventKinds = 11;

/// The event's name on the stream, e.g. "samples", "zone_started".
std::string_view LiveEventName(LiveEventKind kind);
/// Whether events of this kind at the same subject, in one commit, add up into one.
bool LiveEventAddsUp(LiveEventKind kind);

/// Places are at most six deep (district … room).
inline constexpr std::size_t kMaxPlaceDepth = 6;
using PlaceIds = std::array<std::int64_t, kMaxPlaceDepth>;

/// "/1/5/23/" → {1, 5, 23, 0, 0, 0}, without allocating.
PlaceIds PlaceIdsOf(std::string_view id_path);

struct LiveEvent {
  std::uint64_t id = 0;  // given by the feed when published
  LiveEventKind kind = LiveEventKind::kSamples;
  /// The place it happened at, root first, zeros below it: the site's place for samples,
  /// seals and results; the zone's place; the incident's first place; the person's home for
  /// tasks and requests. Scoping and the community (depth 2) come from it.
  PlaceIds place{};
  /// The site (samples, seals, results), incident, zone, task or request.
  std::int64_t subject = 0;
  std::int64_t count = 1;
  std::int64_t positives = 0;  // results only
  /// The incident's kind, the zone's level or the request's category: a name with static
  /// storage (the core enums' *Name functions), or empty.
  std::string_view label;
  Micros at = 0;

  /// The deepest place, or 0 when none is known.
  std::int64_t PlaceId() const;
  /// The community above or at the place (depth 2), if the place is that deep.
  std::optional<std::int64_t> CommunityId() const;
  /// True for a user whose places are the subtree of `scope_place_id` (none: everything).
  bool VisibleTo(std::optional<std::int64_t> scope_place_id) const;
};

}  // namespace swabline::core
