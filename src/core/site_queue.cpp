#include "core/site_queue.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace swabline::core {
namespace {

int Digit(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

Error HoursError(std::size_t index, std::string_view reason, std::string detail) {
  return Fail(ErrorCode::kInvalidHours, std::move(detail))
      .With("field", "hours")
      .With("index", std::to_string(index))
      .With("reason", std::string(reason));
}

constexpr std::array<std::string_view, 2> kLaneNames = {"green", "general"};

}  // namespace

std::optional<int> ParseClock(std::string_view text, bool end) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int h1 = Digit(text[0]), h2 = Digit(text[1]), m1 = Digit(text[3]), m2 = Digit(text[4]);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int hour = h1 * 10 + h2, minute = m1 * 10 + m2;
  if (minute > 59) return std::nullopt;
  if (hour == 24 && minute == 0 && end) return kMinutesPerDay;
  if (hour > 23) return std::nullopt;
  return hour * 60 + minute;
}

std::string FormatClock(int minute) {
  const int h = minute / 60, m = minute % 60;
  std::string out = "00:00";
  out[0] = static_cast<char>('0' + h / 10);
  out[1] = static_cast<char>('0' + h % 10);
  out[3] = static_cast<char>('0' + m / 10);
  out[4] = static_cast<char>('0' + m % 10);
  return out;
}

Result<std::vector<HoursSpan>> ParseHours(const std::vector<HoursText>& spans) {
  std::vector<std::pair<HoursSpan, std::size_t>> parsed;  // with its index in the request
  for (std::size_t i = 0; i < spans.size(); ++i) {
    auto from = ParseClock(spans[i].from, false);
    auto to = ParseClock(spans[i].to, true);
    if (!from || !to)
      return HoursError(i, "format",
                        "hours[" + std::to_string(i) +
                            "]: from and to are HH:MM (00:00 to 23:59, to may be 24:00)");
    if (*from >= *to)
      return HoursError(i, "order",
                        "hours[" + std::to_string(i) + "]: from " + spans[i].from +
                            " must be before to " + spans[i].to);
    parsed.push_back({{*from, *to}, i});
  }
  std::sort(parsed.begin(), parsed.end(),
            [](const auto& a, const auto& b) { return a.first.from < b.first.from; });
  std::vector<HoursSpan> out;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    if (i > 0 && parsed[i].first.from < parsed[i - 1].first.to)
      return HoursError(parsed[i].second, "overlap",
                        "hours[" + std::to_string(parsed[i].second) + "] overlaps hours[" +
                            std::to_string(parsed[i - 1].second) + "]");
    out.push_back(parsed[i].first);
  }
  return out;
}

bool IsOpenAt(const std::vector<HoursSpan>& hours, int minute_of_day) {
  if (hours.empty()) return true;
  return std::any_of(hours.begin(), hours.end(), [&](const HoursSpan& s) {
    return s.from <= minute_of_day && minute_of_day < s.to;
  });
}

int LocalMinuteOfDay(Micros instant, int utc_offset_minutes) {
  const std::int64_t minutes = instant / 60'000'000 + utc_offset_minutes -
                               (instant < 0 && instant % 60'000'000 != 0 ? 1 : 0);
  const std::int64_t m = minutes % kMinutesPerDay;
  return static_cast<int>(m < 0 ? m + kMinutesPerDay : m);
}

int ThroughputWindowMinutes(const std::vector<HoursSpan>& hours, int minute_of_day, int window,
                            int floor) {
  int out = window;
  for (const HoursSpan& s : hours)
    if (s.from <= minute_of_day && minute_of_day < s.to)
      out = std::min(window, minute_of_day - s.from);
  return std::max(out, floor);
}

std::string_view LaneName(Lane lane) { return kLaneNames[static_cast<std::size_t>(lane)]; }

std::optional<Lane> ParseLane(std::string_view name) {
  for (std::size_t i = 0; i < kLaneNames.size(); ++i)
    if (kLaneNames[i] == name) return static_cast<Lane>(i);
  return std::nullopt;
}

Result<std::vector<Lane>> ParseLanes(const std::vector<std::string>& names) {
  if (names.empty()) return std::vector<Lane>{Lane::kGeneral};
  std::vector<Lane> out;
  for (const std::string& name : names) {
    auto lane = ParseLane(name);
    if (!lane)
      return Fail(ErrorCode::kUnknownLane, "a lane is general or green, not '" + name + "'")
          .With("field", "lanes")
          .With("lane", name);
    if (std::find(out.begin(), out.end(), *lane) != out.end())
      return Fail(ErrorCode::kInvalidField, "lane '" + name + "' is named twice")
          .With("field", "lanes");
    out.push_back(*lane);
  }
  std::sort(out.begin(), out.end());
  return out;
}

double SwabsPerCollectorHour(double rate_at_10, double seconds_per_tube, int pool_size) {
  const double swab = 3600.0 / rate_at_10 - seconds_per_tube / 10.0;
  return 3600.0 / (swab + seconds_per_tube / pool_size);
}

bool ValidRates(double rate_at_10, double seconds_per_tube) {
  if (!(rate_at_10 > 0 && rate_at_10 <= 1000)) return false;  // false for NaN
  if (!(seconds_per_tube >= 0 && seconds_per_tube <= 600)) return false;
  return 3600.0 / rate_at_10 - seconds_per_tube / 10.0 > 1.0;
}

double SiteRatePerHour(long samples, int window_minutes, int collectors,
                       double per_collector_hour) {
  if (samples > 0 && window_minutes > 0)
    return static_cast<double>(samples) * 60.0 / window_minutes;
  return std::max(collectors, 0) * per_collector_hour;
}

std::vector<LaneWait> EstimateWaits(const std::vector<LaneWait>& lanes, double rate_per_hour) {
  std::vector<LaneWait> out = lanes;
  std::stable_sort(out.begin(), out.end(),
                   [](const LaneWait& a, const LaneWait& b) { return a.lane < b.lane; });
  long ahead = 0;
  for (LaneWait& l : out) {
    ahead += std::max(l.waiting, 0L);
    if (ahead == 0)
      l.minutes = 0;
    else if (rate_per_hour > 0)
      l.minutes =
          static_cast<long>(std::ceil(static_cast<double>(ahead) * 60.0 / rate_per_hour - 1e-9));
    else
      l.minutes = std::nullopt;
  }
  return out;
}

}  // namespace swabline::core
