#pragma once
/// Sampling sites and their queues (docs/api.md, Sites and queues): a site's opening hours and
/// lanes, the people waiting in each lane as staff count them, collectors on shift, and the
/// wait a resident can expect — public, since residents read it without signing in.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/site_queue.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct Site {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::string address;                 // the place's path
  std::vector<core::HoursSpan> hours;  // by start; none: always open
  std::vector<core::Lane> lanes;       // in service order
};

struct SitePage {
  std::vector<Site> sites;                  // by id
  std::optional<std::int64_t> next_cursor;  // pass as `after_id` for the next page
};

struct NewSite {
  std::string name;
  std::int64_t place_id = 0;
  std::vector<core::HoursText> hours;
  std::vector<std::string> lanes;  // none: ["general"]
};

/// kForbidden (role), kMissingField (name), kInvalidHours, kUnknownLane, kInvalidField (a lane
/// twice), kUnknownPlace, kForbidden (place).
core::Result<Site> CreateSite(store::Tx& tx, const Env& env, const Actor& actor, const NewSite& in);
/// An always-open site with the general lane only.
core::Result<Site> CreateSite(store::Tx& tx, const Env& env, const Actor& actor,
                              const std::string& name, std::int64_t place_id);
/// Sites under `place_id` (the actor's subtree when not given) with ids above `after_id`, by
/// id, at most `limit`. kUnknownPlace, kForbidden.
core::Result<SitePage> ListSites(store::Connection& db, const Actor& actor,
                                 std::optional<std::int64_t> place_id, std::int64_t after_id,
                                 int limit);
/// As ListSites for anyone, without a token: every site under `place_id` (the whole tree when
/// not given). kUnknownPlace.
core::Result<SitePage> ListPublicSites(store::Connection& db, std::optional<std::int64_t> place_id,
                                       std::int64_t after_id, int limit);

/// Where a site's estimated waits come from.
enum class RateSource { kScans, kCollectors, kNone };
std::string_view RateSourceName(RateSource source);

struct SiteQueue {
  std::int64_t site_id = 0;
  bool open_now = true;
  std::vector<core::LaneWait> lanes;  // in service order
  std::int64_t samples_last_hour = 0;
  std::int64_t collectors = 0;
  double rate_per_hour = 0;  // the rate the waits assume
  RateSource rate_source = RateSource::kNone;
  int window_minutes = 60;  // the scans the rate was measured over
};

/// The queue now. The rate is the site's valid scans of the last hour — or of the time since
/// it opened, when that was less than an hour ago (at least 10 minutes) — per hour; with no
/// scans in that time, collectors on shift × one collector's rate (the sampling rates, at the
/// pool size of the site's latest tube, else 10). kUnknownSite.
core::Result<SiteQueue> GetSiteQueue(store::Connection& db, const Env& env, std::int64_t site_id);

/// Staff at the site's place (kCountQueue) count people joining (`delta` > 0) or leaving the
/// lane; waiting never goes below 0. kForbidden, kUnknownSite, kForbidden (place),
/// kUnknownLane (a lane the site does not have), kInvalidField (|delta| over 1000).
core::Result<SiteQueue> CountQueue(store::Tx& tx, const Env& env, const Actor& actor,
                                   std::int64_t site_id, const std::string& lane,
                                   std::int64_t delta);

/// Collectors on shift at the site (kCountQueue, at the site's place). kInvalidField (count
/// outside 0–500), kUnknownSite, kForbidden.
core::Result<SiteQueue> SetCollectors(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t site_id, std::int64_t count);

}  // namespace swabline::service
