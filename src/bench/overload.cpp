// The overload phase of `swabline bench` (docs/benchmarks.md, Overload): scans offered at twice
// the rate the scans phase measured, over eight times the connections. Admission control
// (http/admission.hpp) should keep the writer busy with what it can commit in time and refuse
// the rest at once with 503 overloaded: goodput near the peak and the accepted scans' latency
// bounded, rather than every scan slowing down together.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string>

#include "bench/phases.hpp"

namespace swabline::bench {

void Bench::Overload() {
  if (scans_ <= 0) return;  // the scans phase measures the peak this one is judged against
  const double rate = 2 * scans_;
  // Every resident is scanned at most once a round: keep the phase within the city.
  const double seconds = std::min(o_.duration, 0.8 * static_cast<double>(city_->ids.size()) / rate);
  const std::size_t connections = 8 * o_.connections;
  const std::int64_t round = CreateRound(*city_, "bench: overload");
  const auto tubes = OpenTubes(*city_, round, "BO",
                               static_cast<std::size_t>(rate * seconds / 10) + 2 * connections);
  ScanSource source(city_->ids, tubes, token_, connections);
  auto load = Load(connections, seconds, 201);
  load.rate = rate;
  std::cout << fmt::format("  {:<22}", fmt::format("scans at {:.0f}/s…", rate)) << std::flush;
  const LoadResult r =
      RunLoad(load, [&](std::size_t c, std::string& w) { return source.Next(c, w); });
  const auto refused = r.statuses.count(503) ? r.statuses.at(503) : 0;
  const std::uint64_t other = r.errors - refused;
  const double offered = r.seconds > 0 ? static_cast<double>(r.responses) / r.seconds : 0;
  const double share = r.OkPerSecond() / scans_;
  const auto p99 = r.ok_latency.Percentile(99);
  std::cout << fmt::format(
                   "{:>9} ok, {} refused 503 in {:.2f} s = {:.0f}/s ({:.0f}% of peak); "
                   "accepted {}",
                   r.ok, refused, r.seconds, r.OkPerSecond(), 100 * share, r.ok_latency.Summary())
            << std::endl;
  if (other > 0 || r.transport_errors > 0)
    report_.MarkError(
        fmt::format("overload: {} answers neither 201 nor 503, {} socket errors; "
                    "first: {}",
                    other, r.transport_errors, r.first_error));
  const bool pass = share >= 0.9 && p99 < 250'000;
  report_.Add({"overload_goodput",
               fmt::format("scans offered at 2× the peak ({:.0f}/s over {} connections)", rate,
                           connections),
               "≥ 90% of the peak scan rate; accepted p99 < 250 ms",
               fmt::format("{:.0f} scans/s = {:.0f}% of peak; accepted p99 {}; {:.0f}% refused "
                           "503",
                           r.OkPerSecond(), 100 * share, FormatMicros(p99),
                           r.responses ? 100.0 * static_cast<double>(refused) /
                                             static_cast<double>(r.responses)
                                       : 0),
               share, std::nullopt, pass ? Verdict::kPass : Verdict::kMiss,
               fmt::format("answered {:.0f}/s in all", offered)});
}

}  // namespace swabline::bench
