#pragma once
/// The live dashboard's snapshot (GET /api/v1/dashboard): what a command post looks at first,
/// before the event stream (GET /api/v1/events) keeps it current. Scoped to the actor's places.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct DashboardCommunity {
  std::int64_t id = 0;  // the community (or the site's own place when it lies above one)
  std::string name;
  std::string path;
  std::array<std::int64_t, 24> samples_by_hour{};  // local hours of today
  std::int64_t samples = 0;
  std::int64_t positives = 0;  // tubes resulted positive today
};

struct DashboardIncident {
  std::int64_t id = 0;
  std::string kind;
  core::Micros opened_at = 0;
  double age_hours = 0;
};

struct Dashboard {
  core::Micros generated_at = 0;
  core::Micros day_start = 0;  // local midnight, as UTC
  /// The event stream goes on from here (Last-Event-ID): events after it are news to this
  /// snapshot (one committed just as it was read may be in both).
  std::uint64_t last_event_id = 0;
  std::vector<DashboardCommunity> communities;  // by path
  std::int64_t samples = 0;
  std::int64_t resulted_tubes = 0;  // resulted today
  std::int64_t positives = 0;
  /// Sample-to-result hours of the tubes resulted today, nearest rank.
  std::optional<double> p50_hours, p90_hours, p99_hours;
  std::vector<DashboardIncident> open_incidents;  // oldest first, at most kMaxIncidents
  std::int64_t open_incidents_total = 0;
  std::int64_t zones_in_force = 0;
  std::int64_t zones_sealed = 0;
  std::int64_t overdue_tasks = 0;
  std::int64_t open_requests = 0;
  std::int64_t overdue_requests = 0;

  static constexpr std::size_t kMaxIncidents = 50;
};

/// Local midnight before `now`, as UTC microseconds.
core::Micros LocalDayStart(core::Micros now, int utc_offset_minutes);

/// kForbidden (role without kReadIncidents, or a place outside the actor's), kUnknownPlace.
/// `last_event_id`: the feed's newest id, taken before this read.
core::Result<Dashboard> GetDashboard(store::Connection& db, const Env& env, const Actor& actor,
                                     std::optional<std::int64_t> place_id,
                                     std::uint64_t last_event_id);

}  // namespace swabline::service
