#pragma once
/// `swabline bench`: builds a synthetic city in a fresh database, serves it in this process,
/// and drives the real HTTP API with the load generator, phase by phase, printing each figure
/// of docs/benchmarks.md against its target and against the same server's /healthz rate.
/// `--crash-check` instead proves that a kill -9 during scans loses no acknowledged scan.
///
/// The benchmark sees the server only as its users do, over a socket; it starts one through
/// http/server.hpp's public interface, and its child servers are this very program run as
/// `swabline serve` (/proc/self/exe), so it works only linked into `swabline`.

#include <cstddef>
#include <string>

namespace swabline::bench {

struct Options {
  int residents = 0;  // 0: 100,000 (3,000 with --smoke)
  std::size_t connections = 64;
  double duration = 0;  // seconds per load phase; 0: 5 (2 with --quick, 1 with --smoke)
  double rate = 0;      // scans/s of the latency phase; 0 = half the measured scan rate
  bool quick = false;   // short phases: every figure in under two minutes
  bool smoke = false;   // a tiny city and 1 s phases; exits non-zero on any error
  bool crash_check = false;
  std::string json_path;          // also write the figures here
  std::string work_dir = "/tmp";  // where the temporary database folder is made
  bool keep = false;              // keep the temporary folder
  unsigned server_threads = 0;    // IO threads of the in-process server; 0 = one per core
  unsigned readers = 4;           // its reader threads
  /// Run only these phases (comma-separated: healthz, scans, latency, overload, staff, code,
  /// lab, coverage, outbreak, lab-outbreak, gate, memory); empty = all. For profiling one kind of
  /// request.
  std::string only;
  std::string web_dir;  // the in-process server's browser UI folder (not requested by the load)
};

/// Returns the exit code: 0, or 1 when (in --smoke) a phase had errors or no throughput.
int RunBench(const Options& options);
/// Returns 0 when every acknowledged scan survived the kill -9, 1 otherwise.
int RunCrashCheck(const Options& options);

}  // namespace swabline::bench
