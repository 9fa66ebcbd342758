#include "bench/bench.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench/phases.hpp"
#include "http/routes.hpp"

namespace swabline::bench {

LoadOptions Bench::Load(std::size_t connections, double seconds, int ok_status) const {
  LoadOptions l;
  l.port = port_;
  l.connections = connections;
  l.duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  l.ok_status = ok_status;
  return l;
}

LoadResult Bench::Drive(const std::string& phase, const LoadOptions& load, const NextRequest& next,
                        const OnResponse& on) {
  std::cout << fmt::format("  {:<22}", phase + "…") << std::flush;
  auto r = RunLoad(load, next, on);
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
  app_ = std::make_unique<http::App>(rt.env(), rt.writer(), rt.readers(), o_.web_dir);
  // One address plays a whole city here: per-address limits would measure themselves.
  app_->SetRateLimits(
      {.login_attempts = 0, .login_failures = 0, .status_lookups = 0, .request_submissions = 0});
  // --smoke checks that every phase answers without errors on whatever machine runs ctest; a
  // loaded one stalls commits past the queue budget, so there nothing is refused for waiting.
  if (o_.smoke)
    app_->SetAdmission({std::chrono::milliseconds(0), http::AdmissionLimits{}.max_queued});
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
  const std::string wire = BuildRequest("GET", "/healthz");
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
  if (Wanted("overload")) Overload();
  if (Wanted("staff")) StaffStatus();
  if (Wanted("code")) CodeStatus();
  if (Wanted("lab")) Lab();
  if (Wanted("coverage")) Coverage();
  if (Wanted("outbreak")) OutbreakLatency();
  if (Wanted("lab-outbreak")) LabOutbreak();
  if (Wanted("gate")) GateScans();
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

int RunBench(const Options& options) {
  Options o = options;
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

}  // namespace swabline::bench
