// The outbreak phases of `swabline bench` (docs/benchmarks.md, Outbreak response): how long a
// result upload that turns a 20-in-1 pool positive takes to answer, when its incident, zones,
// retest tasks and outbox rows commit in the upload's transaction; and what outbreak handling
// costs the lab upload's results/s at a realistic and a high share of positive pools.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bench/phases.hpp"
#include "store/connection.hpp"

namespace swabline::bench {
namespace {

namespace json = boost::json;

constexpr int kPoolSize = 20;             // the largest pool a tube may hold, the costliest
constexpr int kLatencyUploads = 30;       // uploads of one positive pool each (5 with --smoke)
constexpr std::size_t kLabRows = 50'000;  // per positivity
constexpr std::size_t kQuickLabRows = 20'000;
constexpr std::size_t kSmokeLabRows = 1'000;
constexpr int kLabParts = 2;       // each positivity's rows in this many uploads, taken in turn
constexpr double kMaxLoss = 0.10;  // the target: ≤ 10% fewer results/s

/// One number from the database (a COUNT or MAX), read beside the server, not through it.
std::int64_t ReadCount(City& city, const char* sql) {
  return city.runtime->readers().RunSync([&](store::Connection& db) {
    auto q = db.Query(sql);
    return q->Next() == store::Step::kRow ? q->Int(0) : std::int64_t{0};
  });
}

std::int64_t OutboxRows(City& city) { return ReadCount(city, "SELECT COUNT(*) FROM outbox"); }
std::int64_t LastIncident(City& city) {
  return ReadCount(city, "SELECT COALESCE(MAX(id), 0) FROM incidents");
}

std::size_t ArraySize(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array().size() : 0;
}

/// What one positive pool's upload left behind, as GET /incidents shows it; "" when it is all
/// there (one new pool_positive incident for `tube` with 20 people, 20 zones and 20 tasks),
/// otherwise what is missing. `last_incident` moves to the new incident.
std::string CheckIncident(std::uint16_t port, const std::string& token, const std::string& tube,
                          std::int64_t& last_incident) {
  auto list =
      Fetch("127.0.0.1", port,
            BuildRequest("GET", fmt::format("/api/v1/incidents?cursor={}", last_incident), token));
  if (list.status != 200) return fmt::format("GET /incidents answered {}", list.status);
  const auto incidents = json::parse(list.body).as_object().at("incidents").as_array();
  if (incidents.size() != 1)
    return fmt::format("{} new incidents instead of one after the upload", incidents.size());
  const json::object& incident = incidents[0].as_object();
  last_incident = incident.at("id").as_int64();
  const json::value* t = incident.if_contains("tube");
  const json::value* kind = incident.if_contains("kind");
  if (!t || !t->is_string() || t->as_string() != tube || !kind || !kind->is_string() ||
      kind->as_string() != "pool_positive")
    return "the new incident is not a pool_positive one about tube " + tube;
  auto one = Fetch("127.0.0.1", port,
                   BuildRequest("GET", fmt::format("/api/v1/incidents/{}", last_incident), token));
  if (one.status != 200) return fmt::format("GET /incidents/{{id}} answered {}", one.status);
  const json::object detail = json::parse(one.body).as_object();
  const std::size_t people = ArraySize(detail, "people"), zones = ArraySize(detail, "zones"),
                    tasks = ArraySize(detail, "tasks");
  if (people != kPoolSize || zones != kPoolSize || tasks != kPoolSize)
    return fmt::format("incident {} has {} people, {} zones and {} tasks instead of {} each",
                       last_incident, people, zones, tasks, kPoolSize);
  return {};
}

/// A positivity of the lab phase: its fraction of positive pools, and its rows' uploads.
struct Positivity {
  double fraction = 0;
  std::size_t pools = 0;  // positive pools among the rows
  std::vector<std::string> bodies;
  std::int64_t accepted = 0;
  double seconds = 0;
  double Rate() const { return seconds > 0 ? static_cast<double>(accepted) / seconds : 0; }
};

/// `rows` result rows, `positives` of them positive pools spread evenly among single-sample
/// negatives, cut into kLabParts uploads.
std::vector<std::string> PositivityBodies(const std::vector<std::string>& negatives,
                                          const std::vector<std::string>& positives) {
  const std::size_t rows = negatives.size() + positives.size();
  std::vector<std::string> bodies(kLabParts, "tube,result\n");
  std::size_t n = 0, p = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    // Row i is positive when it crosses the next multiple of rows / positives.
    const bool positive = (i + 1) * positives.size() / rows > i * positives.size() / rows;
    std::string& body = bodies[i * kLabParts / rows];
    body += positive ? positives[p++] : negatives[n++];
    body += positive ? ",positive\n" : ",negative\n";
  }
  return bodies;
}

}  // namespace

void Bench::OutbreakLatency() {
  const int uploads = o_.smoke ? 5 : kLatencyUploads;
  const auto t0 = std::chrono::steady_clock::now();
  UnitPicker picker(*city_);
  const auto tubes = FilledPools(*city_, CreateRound(*city_, "bench: outbreak latency"), "OL",
                                 static_cast<std::size_t>(uploads), kPoolSize, picker);
  std::cout << fmt::format(
      "  (filled {} pools of {} from distinct units in {:.2f} s)\n", tubes.size(), kPoolSize,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::int64_t last_incident = LastIncident(*city_);
  std::int64_t outbox = OutboxRows(*city_);
  std::int64_t outbox_min = INT64_MAX, outbox_max = 0;
  std::size_t next = 0, verified = 0;
  std::string problem;
  // One connection, one upload at a time; the check after each answer is not timed (the
  // load generator starts the clock when it asks for the next request).
  auto r = Drive(
      fmt::format("positive {}-in-1 pool", kPoolSize), Load(1, 0),
      [&](std::size_t, std::string& w) {
        if (next >= tubes.size()) return false;
        BuildRequestInto(w, "POST", "/api/v1/lab/results", token_, "text/csv",
                         "tube,result\n" + tubes[next++] + ",positive\n");
        return true;
      },
      [&](std::size_t, int status, std::string_view) {
        if (status != 200) return;
        std::string why = CheckIncident(port_, token_, tubes[next - 1], last_incident);
        const std::int64_t now = OutboxRows(*city_);
        // Each member told (status_yellow), each unit (zone_started), at least one community.
        if (why.empty() && now - outbox < 2 * kPoolSize + 1)
          why = fmt::format("only {} outbox rows after the upload", now - outbox);
        outbox_min = std::min(outbox_min, now - outbox);
        outbox_max = std::max(outbox_max, now - outbox);
        outbox = now;
        if (why.empty()) {
          ++verified;
        } else if (problem.empty()) {
          problem = "outbreak latency: " + why;
        }
      });
  if (!problem.empty()) {
    std::cout << "  " << problem << std::endl;
    report_.MarkError(problem);
  }
  const auto p95 = r.latency.Percentile(95);
  report_.Add({"outbreak_upload_p95_us",
               fmt::format("upload of a positive {0}-in-1 pool → incident, {0} zones, {0} tasks, "
                           "outbox (committed), {1} uploads",
                           kPoolSize, uploads),
               "well under 1 s",
               fmt::format("p50 {}  p95 {}  max {}", FormatMicros(r.latency.Percentile(50)),
                           FormatMicros(p95), FormatMicros(r.latency.max())),
               static_cast<double>(p95), std::nullopt,
               r.ok > 0 && verified == r.ok && p95 < 1'000'000 ? Verdict::kPass : Verdict::kMiss,
               fmt::format("{} of {} checked after the answer over GET /incidents; {}–{} outbox "
                           "rows each; all in the upload's transaction",
                           verified, r.ok, outbox_min == INT64_MAX ? 0 : outbox_min, outbox_max)});
}

void Bench::LabOutbreak() {
  // Each positivity takes fresh residents: the negatives ids[0, rows), the pools up to `rows`.
  const std::size_t rows = std::min(o_.smoke   ? kSmokeLabRows
                                    : o_.quick ? kQuickLabRows
                                               : kLabRows,
                                    city_->ids.size() / 2);
  std::vector<Positivity> runs(3);
  runs[0].fraction = 0;
  runs[1].fraction = 0.01;
  runs[2].fraction = 0.05;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < runs.size(); ++k) {
    Positivity& run = runs[k];
    run.pools = static_cast<std::size_t>(std::llround(static_cast<double>(rows) * run.fraction));
    const std::string tag = fmt::format("{}", k);
    // Negatives and pools in rounds of their own: a resident is sampled once a round.
    const auto negatives = FilledTubes(*city_, CreateRound(*city_, "bench: lab negatives " + tag),
                                       "ON" + tag, rows - run.pools);
    UnitPicker picker(*city_);
    const auto positives = FilledPools(*city_, CreateRound(*city_, "bench: lab pools " + tag),
                                       "OP" + tag, run.pools, kPoolSize, picker);
    run.bodies = PositivityBodies(negatives, positives);
  }
  std::cout << fmt::format(
      "  (filled {} tubes and pools for three positivities in {:.2f} s)\n", 3 * rows,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  const std::int64_t incidents_before = ReadCount(*city_, "SELECT COUNT(*) FROM incidents");
  // Part 1 of each positivity, then part 2 of each: a machine busy for a moment costs them
  // alike rather than one of them.
  for (int part = 0; part < kLabParts; ++part)
    for (Positivity& run : runs) {
      bool sent = false;
      auto r = Drive(
          fmt::format("lab {:.0f}% positive, {}/{}", run.fraction * 100, part + 1, kLabParts),
          Load(1, 0),
          [&](std::size_t, std::string& w) {
            if (std::exchange(sent, true)) return false;
            BuildRequestInto(w, "POST", "/api/v1/lab/results", token_, "text/csv",
                             run.bodies[static_cast<std::size_t>(part)]);
            return true;
          },
          [&](std::size_t, int status, std::string_view answer) {
            if (status == 200) run.accepted += JsonIntField(answer, "accepted").value_or(0);
          });
      run.seconds += r.seconds;
    }
  std::size_t pools = 0;
  for (const Positivity& run : runs) pools += run.pools;
  const std::int64_t opened =
      ReadCount(*city_, "SELECT COUNT(*) FROM incidents") - incidents_before;
  if (opened != static_cast<std::int64_t>(pools))
    report_.MarkError(
        fmt::format("lab with outbreak: {} incidents for {} positive pools", opened, pools));
  for (const Positivity& run : runs) {
    if (static_cast<std::size_t>(run.accepted) < rows)
      report_.MarkError("lab with outbreak: the upload rejected rows");
    report_.Add(RelativeInfo(
        fmt::format("lab_outbreak_{:.0f}pct_per_s", run.fraction * 100),
        fmt::format("lab upload, {:.0f}% of rows positive {}-in-1 pools", run.fraction * 100,
                    kPoolSize),
        run.Rate(), "results/s",
        fmt::format("{} rows in {} uploads, {} positive pools", rows, kLabParts, run.pools)));
  }
  const double base = runs[0].Rate();
  auto loss = [&](const Positivity& run) { return base > 0 ? 1 - run.Rate() / base : 1.0; };
  report_.Add({"lab_outbreak_loss_1pct", "lab upload's results/s lost to outbreak handling",
               "≤ 10% at 1% positive pools",
               fmt::format("1%: {:.1f}%  5%: {:.1f}%", 100 * loss(runs[1]), 100 * loss(runs[2])),
               loss(runs[1]), std::nullopt,
               base > 0 && loss(runs[1]) <= kMaxLoss ? Verdict::kPass : Verdict::kMiss,
               "against 0% positive pools in the same run"});
  // What one positive pool adds, from the 5% run (the most pools): in negative rows' worth,
  // and so the share of positive pools at which the loss reaches 10%.
  const Positivity& most = runs.back();
  if (base <= 0 || most.pools == 0) return;
  const double row = runs[0].seconds / static_cast<double>(rows);
  const double pool =
      (most.seconds - row * static_cast<double>(rows)) / static_cast<double>(most.pools);
  const double rows_worth = pool / row;
  report_.Add(
      {"lab_outbreak_pool_us", "what one positive pool adds to its upload", "—",
       fmt::format("{} = {:.0f} negative rows",
                   FormatMicros(static_cast<std::uint64_t>(std::max(0.0, pool) * 1e6)), rows_worth),
       pool * 1e6, std::nullopt, Verdict::kInfo,
       rows_worth > 0 ? fmt::format("the loss reaches 10% at {:.2f}% positive pools",
                                    100 * (1 / (1 - kMaxLoss) - 1) / rows_worth)
                      : ""});
}

}  // namespace swabline::bench
