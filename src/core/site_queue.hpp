#pragma once
/// Sampling sites' opening hours, lanes and the wait a resident can expect (docs/api.md,
/// Sites and queues). Hours are minutes of the local day of the deployment (`serve --tz`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.hpp"
#include "core/result.hpp"

namespace swabline::core {

inline constexpr int kMinutesPerDay = 24 * 60;

/// One span of opening hours: [from, to) in minutes of the local day; `to` may be 1440
/// ("24:00"), so a span ends at midnight at the latest.
struct HoursSpan {
  int from = 0;
  int to = kMinutesPerDay;
  friend bool operator==(const HoursSpan&, const HoursSpan&) = default;
};

/// "07:30" → 450. Two-digit hours and minutes; "24:00" only when `end` is set.
std::optional<int> ParseClock(std::string_view text, bool end);
/// 450 → "07:30"; 1440 → "24:00".
std::string FormatClock(int minute);

struct HoursText {
  std::string from;
  std::string to;
};

/// The spans, sorted by start. kInvalidHours (extras `index`, the span at fault, and `reason`:
/// `format`, `order` — from not before to — or `overlap`, with the span before it).
Result<std::vector<HoursSpan>> ParseHours(const std::vector<HoursText>& spans);

/// No spans means always open.
bool IsOpenAt(const std::vector<HoursSpan>& hours, int minute_of_day);

/// The minute of the local day at `instant`, for a zone `utc_offset_minutes` east of UTC.
int LocalMinuteOfDay(Micros instant, int utc_offset_minutes);

/// Minutes since the span open at `minute_of_day` opened, when it opened less than `window`
/// minutes ago (a site that has just opened has had no time to scan a full window); else
/// `window`. Never below `floor` minutes, so that the first scans do not make a wild rate.
int ThroughputWindowMinutes(const std::vector<HoursSpan>& hours, int minute_of_day, int window,
                            int floor);

/// Lanes, in the order they are served: the green channel (the elderly, the disabled,
/// students) before the general one.
enum class Lane { kGreen, kGeneral };

std::string_view LaneName(Lane lane);
std::optional<Lane> ParseLane(std::string_view name);

/// The lanes named, in service order; none means ["general"]. kUnknownLane (extra `lane`)
/// for a name other than general or green; kInvalidField for a lane named twice.
Result<std::vector<Lane>> ParseLanes(const std::vector<std::string>& names);

/// A collector's swabs per hour at `pool_size` people per tube, given the rate at 10-in-1 and
/// the seconds each tube costs (open, scan, seal): a person takes 3600/rate_at_10 seconds,
/// of which seconds_per_tube/10 are their share of the tube; at pool size k that share is
/// seconds_per_tube/k. REQUIRES: rate_at_10 > 0, pool_size >= 1, and
/// 3600/rate_at_10 > seconds_per_tube/10 (ValidRates checks it).
double SwabsPerCollectorHour(double rate_at_10, double seconds_per_tube, int pool_size);

/// True when the rates make sense: rate_at_10 in (0, 1000], seconds_per_tube in [0, 600] and
/// the swab itself (3600/rate_at_10 − seconds_per_tube/10) takes over a second.
bool ValidRates(double rate_at_10, double seconds_per_tube);

/// The people a site swabs per hour: `samples` scanned in the last `window_minutes`, scaled to
/// an hour; with no scans yet, `collectors` × `per_collector_hour`.
double SiteRatePerHour(long samples, int window_minutes, int collectors, double per_collector_hour);

struct LaneWait {
  Lane lane = Lane::kGeneral;
  long waiting = 0;
  std::optional<long> minutes;  // nullopt: no rate to go by (no scans, no collectors)
};

/// The wait of someone joining each lane at `rate_per_hour`, lanes served in order: the time to
/// swab everyone in that lane and in the lanes before it (the green channel goes first),
/// rounded up to a whole minute; 0 when nobody is ahead, whatever the rate.
std::vector<LaneWait> EstimateWaits(const std::vector<LaneWait>& lanes, double rate_per_hour);

}  // namespace swabline::core
