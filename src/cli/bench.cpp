#include "cli/bench.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/bench_city.hpp"
#include "cli/bench_report.hpp"
#include "http/app.hpp"
#include "http/loadgen.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "service/personal_code.hpp"
#include "store/sqlite.hpp"

namespace swabline::cli {
namespace {

constexpr std::size_t kLabRowsPerUpload = 50'000;  // half the API's cap of 100,000 rows per upload
// Results measured at least (fewer in a smaller city): enough that the rate is the upload's,
// not one request's fixed costs, whether or not the scan phases ran before.
constexpr std::size_t kLabRowsMeasured = 100'000;
constexpr std::size_t kCodes = 5'000;              // distinct personal codes looked up
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
  auto r = http::Fetch("127.0.0.1", port, http::BuildRequest("GET", "/metrics"));
  return {MetricValue(r.body, "swabline_db_commit_batch_size_count"),
          MetricValue(r.body, "swabline_db_commit_batch_size_sum")};
}

/// One run of the benchmark: the city, the in-process server, and the figures as they come.
class Bench {
 public:
  explicit Bench(BenchOptions o) : o_(std::move(o)) {}
  int Run();

 private:
  void Setup();
  void Baseline(bool again);
  void Scans();
  void Latency();
  void StaffStatus();
  void CodeStatus();
  void Lab();
  void Coverage();
  void Memory();

  http::LoadOptions Load(std::size_t connections, double seconds, int ok_status = 200) const;
  http::LoadResult Drive(const std::string& phase, const http::LoadOptions& load,
                         const http::NextRequest& next, const http::OnResponse& on = {});
  bool Wanted(std::string_view phase) const;

  BenchOptions o_;
  Report report_;
  std::unique_ptr<BenchCity> city_;
  std::unique_ptr<http::App> app_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  std::string token_;
  std::int64_t round_scans_ = 0;
  std::int64_t round_latency_ = 0;
  std::vector<std::string> tubes_scans_;
  std::vector<std::string> tubes_latency_;
  std::size_t used_scans_ = 0;
  std::size_t used_latency_ = 0;
  double healthz_ = 0;
  double healthz_first_ = 0;
  double scans_ = 0;
  std::uint64_t rss_loaded_ = 0;
};

http::LoadOptions Bench::Load(std::size_t connections, double seconds, int ok_status) const {
  http::LoadOptions l;
  l.port = port_;
  l.connections = connections;
  l.duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  l.ok_status = ok_status;
  return l;
}

http::LoadResult Bench::Drive(const std::string& phase, const http::LoadOptions& load,
                              const http::NextRequest& next, const http::OnResponse& on) {
  std::cout << fmt::format("  {:<22}", phase + "…") << std::flush;
  auto r = http::RunLoad(load, next, on);
  std::cout << fmt::format("{:>9} ok in {:5.2f} s = {:>9.0f}/s  {}", r.ok, r.seconds,
                           r.OkPerSecond(), r.latency.Summary());
  if (r.errors || r.transport_errors)
    std::cout << fmt::format("\n  {:<22}ERRORS: {} bad answers, {} socket errors; first: {}", "",
                             r.errors, r.transport_errors, r.first_error);
  std::cout << std::endl;
  report_.AddPhase(phase, r);
  return r;
}

void Bench::Setup() {
  std::cout << "Building a city of about " << o_.residents << " residents in " << o_.work_dir
            << std::endl;
  city_ = BuildCity(o_.work_dir, o_.residents, o_.readers, false);
  city_->remove_dir = !o_.keep;
  const double rows = static_cast<double>(city_->imported) / city_->import_seconds;
  report_.Add({"import_rows_per_s", "resident import (service layer, one transaction)",
               "1,000,000 rows in < 20 s (≥ 50,000 rows/s)",
               fmt::format("{:.0f} rows/s ({} rows in {:.2f} s)", rows, city_->imported,
                           city_->import_seconds),
               rows, std::nullopt, rows >= 50'000 ? Verdict::kPass : Verdict::kMiss, ""});

  round_scans_ = CreateRound(*city_, "bench: scans");
  round_latency_ = CreateRound(*city_, "bench: latency");
  tubes_scans_ = OpenTubes(*city_, round_scans_, "BS", city_->ids.size() / 10 + 2 * o_.connections);

  auto& rt = *city_->runtime;
  app_ = std::make_unique<http::App>(rt.env(), rt.writer(), rt.readers(), SWABLINE_WEB_DIR);
  router_ = std::make_unique<http::Router>(http::BuildRouter(*app_));
  http::ServerOptions so;
  so.host = "127.0.0.1";
  so.port = 0;
  so.threads = o_.server_threads;
  so.access_log = false;
  server_ = std::make_unique<http::Server>(*app_, *router_, so);
  server_->Start();
  port_ = server_->port();
  token_ = LogIn("127.0.0.1", port_);
  rss_loaded_ = ResidentBytes();
  std::cout << fmt::format(
                   "Serving in this process on 127.0.0.1:{} ({} IO threads, {} readers, 1 writer); "
                   "load generator: 1 thread, {} connections, {:.1f} s phases\n",
                   port_, so.threads ? so.threads : std::thread::hardware_concurrency(), o_.readers,
                   o_.connections, o_.duration)
            << std::endl;
}

void Bench::Baseline(bool again) {
  const std::string wire = http::BuildRequest("GET", "/healthz");
  auto r = Drive(again ? "GET /healthz (again)" : "GET /healthz", Load(o_.connections, o_.duration),
                 [&](std::size_t, std::string& w) {
                   if (w.empty()) w = wire;
                   return true;
                 });
  const double rate = r.OkPerSecond();
  if (!again) {
    healthz_first_ = rate;
    healthz_ = rate;
    report_.Add({"healthz_per_s", "GET /healthz (the baseline)", "—",
                 fmt::format("{:.0f} req/s", rate), rate, 1.0, Verdict::kInfo});
    return;
  }
  // The machine may have been busier during one of the two: the faster one is the baseline,
  // which makes every ratio the more conservative.
  healthz_ = std::max(healthz_, rate);
  if (Figure* f = report_.Find("healthz_per_s")) {
    f->name = "GET /healthz (the baseline: the faster of two runs)";
    f->measured =
        fmt::format("{:.0f} req/s (first {:.0f}, last {:.0f})", healthz_, healthz_first_, rate);
    f->value = healthz_;
  }
}

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
  Figure f{"scans_per_s",
           "durable scans (201, fsync'd before the answer)",
           "≥ 50% of /healthz and ≥ 50,000/s",
           fmt::format("{:.0f} scans/s", scans_),
           scans_,
           std::nullopt,
           Verdict::kMiss,
           note};
  f.relative = true;
  f.min_ratio = 0.5;
  f.min_value = 50'000;
  report_.Add(f);
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
  report_.Add({"scan_p99_us", fmt::format("scan latency at {:.0f}/s (half the scan rate)", rate),
               "p99 < 10 ms",
               fmt::format("p50 {}  p99 {}", http::FormatMicros(r.latency.Percentile(50)),
                           http::FormatMicros(p99)),
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
                   http::BuildRequestInto(w, "GET", target, token_);
                   return true;
                 });
  const double rate = r.OkPerSecond();
  Figure f{"staff_status_per_s",
           "status look-ups by staff (ID number)",
           "≥ 70% of /healthz",
           fmt::format("{:.0f} req/s", rate),
           rate,
           std::nullopt,
           Verdict::kMiss,
           ""};
  f.relative = true;
  f.min_ratio = 0.7;
  report_.Add(f);
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
    wires.push_back(http::BuildRequest("GET", "/api/v1/status?code=" + http::UrlEncode(code)));
  }
  std::size_t i = 0;
  auto r = Drive("GET /status?code=…", Load(o_.connections, o_.duration),
                 [&](std::size_t, std::string& w) {
                   w = wires[i++ % wires.size()];
                   return true;
                 });
  const double rate = r.OkPerSecond();
  Figure f{"code_status_per_s",
           "status look-ups by personal code (no login)",
           "≥ 25% of /healthz",
           fmt::format("{:.0f} req/s", rate),
           rate,
           std::nullopt,
           Verdict::kMiss,
           fmt::format("{} distinct codes", wires.size())};
  f.relative = true;
  f.min_ratio = 0.25;
  report_.Add(f);
}

void Bench::Lab() {
  const std::string name = "lab result upload";
  const std::string target = "≥ 500,000 tube results/s";
  auto probe = http::Fetch(
      "127.0.0.1", port_,
      http::BuildRequest("POST", "/api/v1/lab/results", token_, "text/csv", "tube,result\n"));
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
  std::vector<std::string> bodies;
  std::size_t rows = 0;
  std::string body;
  auto add_round = [&](const std::vector<std::string>& tubes, std::size_t used) {
    for (std::size_t i = 0; i < used; ++i) {
      if (body.empty()) body = "tube,result\n";
      body += tubes[i];
      body += (rows % 1000 == 500) ? ",positive\n" : ",negative\n";  // a few positive pools
      if (++rows % kLabRowsPerUpload == 0) bodies.push_back(std::move(body)), body.clear();
    }
  };
  add_round(tubes_scans_, used_scans_);
  add_round(tubes_latency_, used_latency_);
  add_round(tubes_lab, tubes_lab.size());
  if (!body.empty()) bodies.push_back(std::move(body));
  std::size_t next = 0;
  std::int64_t accepted = 0;
  auto load = Load(2, 0);
  auto r = Drive(
      fmt::format("POST /lab/results ×{}", bodies.size()), load,
      [&](std::size_t, std::string& w) {
        if (next >= bodies.size()) return false;
        http::BuildRequestInto(w, "POST", "/api/v1/lab/results", token_, "text/csv",
                               bodies[next++]);
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
    const std::string wire = http::BuildRequest(
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
               "< 5 ms (12,000 residents)", http::FormatMicros(community),
               static_cast<double>(community), std::nullopt,
               community > 0 && community < 5'000 ? Verdict::kPass : Verdict::kMiss, ""});
  const auto district = median("coverage: district", city_->district_id);
  report_.Add({"coverage_district_us",
               fmt::format("coverage of the district ({} residents), median of {}",
                           city_->ids.size(), kCoverageCalls),
               "< 200 ms (1,000,000 residents)", http::FormatMicros(district),
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
    http::BuildRequestInto(w, "GET", target, token);
    return true;
  });
  const std::string coverage = http::BuildRequest(
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

bool Bench::Wanted(std::string_view phase) const {
  if (o_.only.empty()) return true;
  const std::string list = "," + o_.only + ",";
  return list.find("," + std::string(phase) + ",") != std::string::npos;
}

int Bench::Run() {
  const auto t0 = std::chrono::steady_clock::now();
  std::cout << MachineSummary() << std::endl;
  Setup();
  if (Wanted("healthz")) Baseline(false);
  if (Wanted("scans")) Scans();
  if (Wanted("latency")) Latency();
  if (Wanted("staff")) StaffStatus();
  if (Wanted("code")) CodeStatus();
  if (Wanted("lab")) Lab();
  if (Wanted("coverage")) Coverage();
  if (Wanted("healthz")) Baseline(true);
  report_.Finish(healthz_);
  if (Wanted("memory")) Memory();
  server_->Stop();
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::ifstream loadavg("/proc/loadavg");
  std::string load;
  loadavg >> load;
  std::cout << "\n"
            << report_.Table()
            << fmt::format("\n(whole run: {:.1f} s; load average {} at the end)\n", total, load);
  if (!o_.json_path.empty()) {
    std::ofstream f(o_.json_path);
    f << report_.Json(o_.residents, o_.connections, o_.duration, total);
    std::cout << "figures written to " << o_.json_path << "\n";
  }
  if (o_.smoke) {
    if (auto why = report_.SmokeFailure()) {
      std::cout << "SMOKE FAILED: " << *why << std::endl;
      return 1;
    }
    std::cout << "smoke ok: every phase answered, without errors" << std::endl;
  }
  return 0;
}

}  // namespace

int RunBench(const BenchOptions& options) {
  BenchOptions o = options;
  if (o.smoke) {
    if (o.residents <= 0) o.residents = 3'000;
    if (o.duration <= 0) o.duration = 1;
    o.connections = std::min<std::size_t>(o.connections, 16);
  }
  if (o.quick && o.duration <= 0) o.duration = 2;
  if (o.residents <= 0) o.residents = 100'000;
  if (o.duration <= 0) o.duration = 5;
  if (o.connections == 0) o.connections = 1;
  return Bench(o).Run();
}

}  // namespace swabline::cli
