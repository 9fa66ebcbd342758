#pragma once
/// One run of `swabline bench` (internal to src/bench): the city, the in-process server, and
/// the figures as they come. The set-up and the order of phases are in bench.cpp, the phases
/// themselves in phases.cpp and outbreak.cpp.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench.hpp"
#include "bench/city.hpp"
#include "bench/loadgen.hpp"
#include "bench/report.hpp"
#include "http/app.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace swabline::bench {

/// One run of the benchmark: the city, the in-process server, and the figures as they come.
class Bench {
 public:
  explicit Bench(Options o) : o_(std::move(o)) {}
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
  void OutbreakLatency();  // outbreak.cpp
  void LabOutbreak();
  void GateScans();  // gate.cpp
  void Overload();   // overload.cpp
  void Memory();

  LoadOptions Load(std::size_t connections, double seconds, int ok_status = 200) const;
  LoadResult Drive(const std::string& phase, const LoadOptions& load, const NextRequest& next,
                   const OnResponse& on = {});
  bool Wanted(std::string_view phase) const;

  Options o_;
  Report report_;
  std::unique_ptr<City> city_;
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

}  // namespace swabline::bench
