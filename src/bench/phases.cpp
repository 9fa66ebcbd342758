#include "bench/phases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <span>
#include <utility>

#include "service/personal_code.hpp"
#include "store/connection.hpp"

namespace swabline::bench {
namespace {

constexpr std::size_t kLabRowsPerUpload = 50'000;  // half the API's cap of 100,000 rows per upload
// Results measured at least (fewer in a smaller city): enough that the rate is the upload's,
// not one request's fixed costs, whether or not the scan phases ran before.
constexpr std::size_t kLabRowsMeasured = 100'000;
constexpr std::size_t kCodes = 5'000;  // distinct personal codes looked up
constexpr int kCoverageCalls = 20;

/// A sample's value in Prometheus text ("name value" lines); 0 when absent.
double MetricValue(std::string_view text, std::string_view name) {
  const std::string needle = "\n" + std::string(name) + " ";
  auto at = text.find(needle);
  if (at == std::string_view::npos) return 0;
  return std::strtod(std::string(text.substr(at + needle.size(), 32)).c_str(), nullptr);
}

/// The writer's commit count and batched use cases so far, from /metrics.
std::pair<double, double> CommitTotals(std::uint16_t port) {
  auto r = Fetch("127.0.0.1", port, BuildRequest("GET", "/metrics"));
  return {MetricValue(r.body, "swabline_db_commit_batch_size_count"),
          MetricValue(r.body, "swabline_db_commit_batch_size_sum")};
}

/// The lab phase's uploads: one result per tube (a few positive pools), at most
/// kLabRowsPerUpload rows each; and how many rows they hold in all.
struct LabUpload {
  std::vector<std::string> bodies;
  std::size_t rows = 0;
};

LabUpload LabBodies(std::initializer_list<std::span<const std::string>> tube_lists) {
  LabUpload out;
  std::string body;
  for (const auto tubes : tube_lists)
    for (const auto& tube : tubes) {
      if (body.empty()) body = "tube,result\n";
      body += tube;
      body += (out.rows % 1000 == 500) ? ",positive\n" : ",negative\n";
      if (++out.rows % kLabRowsPerUpload == 0) out.bodies.push_back(std::exchange(body, {}));
    }
  if (!body.empty()) out.bodies.push_back(std::move(body));
  return out;
}

}  // namespace

void Bench::Scans() {
  ScanSource source(city_->ids, tubes_scans_, token_, o_.connections);
  const auto [commits_before, jobs_before] = CommitTotals(port_);
  auto r = Drive("POST …/samples", Load(o_.connections, o_.duration, 201),
                 [&](std::size_t c, std::string& w) { return source.Next(c, w); });
  const auto [commits_after, jobs_after] = CommitTotals(port_);
  used_scans_ = source.tubes_used();
  scans_ = r.OkPerSecond();
  const double commits = commits_after - commits_before;
  std::string note = fmt::format("{:.0f} commits/s of {:.1f} scans on average",
                                 r.seconds > 0 ? commits / r.seconds : 0,
                                 commits > 0 ? (jobs_after - jobs_before) / commits : 0);
  if (source.ran_out_of_residents())
    note += fmt::format("; every resident was scanned after {:.2f} s", r.seconds);
  report_.Add(RelativeRate("scans_per_s", "durable scans (201, fsync'd before the answer)",
                           "≥ 50% of /healthz and ≥ 50,000/s", scans_, "scans/s", 0.5, 50'000,
                           note));
}

void Bench::Latency() {
  const double rate = o_.rate > 0 ? o_.rate : std::max(1.0, scans_ / 2);
  const auto expected = static_cast<std::size_t>(rate * o_.duration * 1.2) + 10 * o_.connections;
  const std::size_t people = std::min(city_->ids.size(), expected);
  tubes_latency_ = OpenTubes(*city_, round_latency_, "BL", people / 10 + 2 * o_.connections);
  ScanSource source(city_->ids, tubes_latency_, token_, o_.connections);
  auto load = Load(o_.connections, o_.duration, 201);
  load.rate = rate;
  auto r = Drive(fmt::format("scans at {:.0f}/s", rate), load,
                 [&](std::size_t c, std::string& w) { return source.Next(c, w); });
  used_latency_ = source.tubes_used();
  const auto p99 = r.latency.Percentile(99);
  report_.Add(
      {"scan_p99_us", fmt::format("scan latency at {:.0f}/s (half the scan rate)", rate),
       "p99 < 10 ms",
       fmt::format("p50 {}  p99 {}", FormatMicros(r.latency.Percentile(50)), FormatMicros(p99)),
       static_cast<double>(p99), std::nullopt,
       r.ok > 0 && p99 < 10'000 ? Verdict::kPass : Verdict::kMiss,
       fmt::format("achieved {:.0f}/s{}", r.OkPerSecond(),
                   source.ran_out_of_residents()
                       ? fmt::format(", every resident scanned after {:.2f} s", r.seconds)
                       : "")});
}

void Bench::StaffStatus() {
  std::size_t i = 0;
  std::string target;
  auto r = Drive("GET /people/…/status", Load(o_.connections, o_.duration),
                 [&](std::size_t, std::string& w) {
                   target.assign("/api/v1/people/");
                   target += ViewOf(city_->ids[i++ % city_->ids.size()]);
                   target += "/status";
                   BuildRequestInto(w, "GET", target, token_);
                   return true;
                 });
  report_.Add(RelativeRate("staff_status_per_s", "status look-ups by staff (ID number)",
                           "≥ 70% of /healthz", r.OkPerSecond(), "req/s", 0.7));
}

void Bench::CodeStatus() {
  struct Claim {
    std::int64_t id;
    std::int64_t version;
  };
  auto claims = city_->runtime->readers().RunSync([&](store::Connection& db) {
    std::vector<Claim> out;
    auto q = db.Query(
        "SELECT r.id, r.code_version FROM samples s JOIN residents r ON r.id = s.resident_id "
        "WHERE s.round_id = ? LIMIT ?");
    q->Bind(1, round_scans_).Bind(2, static_cast<std::int64_t>(kCodes));
    while (q->Next() == store::Step::kRow) out.push_back({q->Int(0), q->Int(1)});
    if (!out.empty()) return out;
    // The scan phase did not run: any residents will do.
    auto any = db.Query("SELECT id, code_version FROM residents LIMIT ?");
    any->Bind(1, static_cast<std::int64_t>(kCodes));
    while (any->Next() == store::Step::kRow) out.push_back({any->Int(0), any->Int(1)});
    return out;
  });
  if (claims.empty()) {
    report_.Add({"code_status_per_s", "status look-ups by personal code (no login)",
                 "≥ 25% of /healthz", "—", 0, std::nullopt, Verdict::kMiss,
                 "no sampled resident to sign a code for"});
    return;
  }
  const auto env = city_->runtime->env();
  std::vector<std::string> wires;
  for (const auto& c : claims) {
    const std::string code = service::SignPersonalCode(env, {c.id, c.version});
    wires.push_back(BuildRequest("GET", "/api/v1/status?code=" + UrlEncode(code)));
  }
  std::size_t i = 0;
  auto r = Drive("GET /status?code=…", Load(o_.connections, o_.duration),
                 [&](std::size_t, std::string& w) {
                   w = wires[i++ % wires.size()];
                   return true;
                 });
  report_.Add(RelativeRate("code_status_per_s", "status look-ups by personal code (no login)",
                           "≥ 25% of /healthz", r.OkPerSecond(), "req/s", 0.25, 0,
                           fmt::format("{} distinct codes", wires.size())));
}

void Bench::Lab() {
  const std::string name = "lab result upload";
  const std::string target = "≥ 500,000 tube results/s";
  auto probe =
      Fetch("127.0.0.1", port_,
            BuildRequest("POST", "/api/v1/lab/results", token_, "text/csv", "tube,result\n"));
  if (probe.status == 404 || probe.status == 405 || probe.status == 0) {
    std::cout << "  lab upload…            SKIPPED: POST /api/v1/lab/results answered "
              << probe.status << " (not there yet)" << std::endl;
    report_.Add({"lab_results_per_s", name, target, "skipped", 0, std::nullopt, Verdict::kSkip,
                 "POST /api/v1/lab/results is not served by this build"});
    return;
  }
  SealTubes(*city_, round_scans_);
  SealTubes(*city_, round_latency_);
  // The scan phases leave too few tubes (or none, with --only lab) for a rate that means
  // anything: top up with tubes of one sample each in a round of their own. What a result
  // costs to record does not depend on its pool's size: people's status is derived when read.
  const std::size_t wanted = std::min(kLabRowsMeasured, city_->ids.size());
  std::vector<std::string> tubes_lab;
  if (used_scans_ + used_latency_ < wanted) {
    const auto t0 = std::chrono::steady_clock::now();
    tubes_lab = FilledTubes(*city_, CreateRound(*city_, "bench: lab"), "BR",
                            wanted - used_scans_ - used_latency_);
    std::cout << fmt::format(
        "  (filled {} more tubes for the lab upload in {:.2f} s)\n", tubes_lab.size(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const LabUpload upload =
      LabBodies({std::span(tubes_scans_).first(used_scans_),
                 std::span(tubes_latency_).first(used_latency_), std::span(tubes_lab)});
  const std::vector<std::string>& bodies = upload.bodies;
  const std::size_t rows = upload.rows;
  std::size_t next = 0;
  std::int64_t accepted = 0;
  auto load = Load(2, 0);
  auto r = Drive(
      fmt::format("POST /lab/results ×{}", bodies.size()), load,
      [&](std::size_t, std::string& w) {
        if (next >= bodies.size()) return false;
        BuildRequestInto(w, "POST", "/api/v1/lab/results", token_, "text/csv", bodies[next++]);
        return true;
      },
      [&](std::size_t, int status, std::string_view answer) {
        if (status == 200) accepted += JsonIntField(answer, "accepted").value_or(0);
      });
  const double rate = r.seconds > 0 ? static_cast<double>(accepted) / r.seconds : 0;
  std::string note = fmt::format("{} of {} rows accepted in {} uploads of ≤ {} rows", accepted,
                                 rows, bodies.size(), kLabRowsPerUpload);
  if (static_cast<std::size_t>(accepted) < rows) report_.MarkError("lab upload rejected rows");
  report_.Add({"lab_results_per_s", name, target, fmt::format("{:.0f} results/s", rate), rate,
               std::nullopt, rate >= 500'000 ? Verdict::kPass : Verdict::kMiss, note});
}

void Bench::Coverage() {
  auto median = [&](const std::string& label, std::int64_t place) {
    const std::string wire = BuildRequest(
        "GET", fmt::format("/api/v1/rounds/{}/coverage?place_id={}", round_scans_, place), token_);
    int left = kCoverageCalls;
    auto r = Drive(label, Load(1, 0), [&](std::size_t, std::string& w) {
      if (left-- <= 0) return false;
      w = wire;
      return true;
    });
    return r.latency.Percentile(50);
  };
  const auto community = median("coverage: community", city_->community_id);
  report_.Add({"coverage_community_us",
               fmt::format("coverage of a community ({} residents), median of {}",
                           city_->community_residents, kCoverageCalls),
               "< 5 ms (12,000 residents)", FormatMicros(community), static_cast<double>(community),
               std::nullopt, community > 0 && community < 5'000 ? Verdict::kPass : Verdict::kMiss,
               ""});
  const auto district = median("coverage: district", city_->district_id);
  report_.Add({"coverage_district_us",
               fmt::format("coverage of the district ({} residents), median of {}",
                           city_->ids.size(), kCoverageCalls),
               "< 200 ms (1,000,000 residents)", FormatMicros(district),
               static_cast<double>(district), std::nullopt,
               district > 0 && district < 200'000 ? Verdict::kPass : Verdict::kMiss, ""});
}

void Bench::Memory() {
  const std::uint64_t rss = ResidentBytes();
  const auto mib = [](std::uint64_t bytes) { return static_cast<double>(bytes) / (1 << 20); };
  report_.Add({"bench_rss_bytes", "memory of this benchmark process (VmRSS)", "—",
               fmt::format("{:.0f} MiB (after loading {:.0f} MiB, peak {:.0f} MiB)", mib(rss),
                           mib(rss_loaded_), mib(ResidentBytes("VmHWM"))),
               static_cast<double>(rss), std::nullopt, Verdict::kInfo,
               "server, load generator and the city's ID numbers in one process"});

  // The target is about `swabline serve` itself: start one on the same database, warm it
  // with look-ups and a district coverage, and read its VmRSS.
  ChildServer serve(city_->db_path, city_->dir / "serve-memory.log");
  const std::string token = LogIn("127.0.0.1", serve.port());
  auto load = Load(o_.connections, std::min(o_.duration, 2.0));
  load.port = serve.port();
  std::size_t i = 0;
  std::string target;
  Drive("serve: warm-up look-ups", load, [&](std::size_t, std::string& w) {
    target.assign("/api/v1/people/");
    target += ViewOf(city_->ids[(i++ * 7919) % city_->ids.size()]);
    target += "/status";
    BuildRequestInto(w, "GET", target, token);
    return true;
  });
  const std::string coverage = BuildRequest(
      "GET",
      fmt::format("/api/v1/rounds/{}/coverage?place_id={}", round_scans_, city_->district_id),
      token);
  auto once = Load(1, 0);
  once.port = serve.port();
  int left = 3;
  Drive("serve: district coverage", once, [&](std::size_t, std::string& w) {
    if (left-- <= 0) return false;
    w = coverage;
    return true;
  });
  const std::uint64_t serve_rss = ResidentBytes("VmRSS", serve.pid());
  const std::uint64_t serve_peak = ResidentBytes("VmHWM", serve.pid());
  serve.Stop();
  report_.Add({"serve_rss_bytes",
               fmt::format("memory of `swabline serve` with {} residents (VmRSS after warm-up)",
                           city_->ids.size()),
               "< 1 GB RSS (1,000,000 residents)",
               fmt::format("{:.0f} MiB (peak {:.0f} MiB)", mib(serve_rss), mib(serve_peak)),
               static_cast<double>(serve_rss), std::nullopt,
               serve_rss > 0 && serve_rss < (1ULL << 30) ? Verdict::kPass : Verdict::kMiss,
               "a separate process on the same database"});
}

}  // namespace swabline::bench
