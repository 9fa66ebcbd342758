#pragma once
/// Work the server does by itself on a timer, each run one job through the group-commit writer
/// as any write: the zone policy's lifting rules (ZoneTimer) and the gate scans' retention
/// (GateScanPurgeTimer).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "service/env.hpp"
#include "store/writer.hpp"

namespace swabline::http {

class WriterTimer {
 public:
  /// What one run does, in the writer's transaction; returns a line to log ("" for none).
  using Job = std::function<std::string(store::Tx&)>;

  /// Starts the timer thread; the first run comes one `period` from now. `what` names the job
  /// in the log. REQUIRES: `writer` and what `job` refers to outlive the timer.
  WriterTimer(store::Writer& writer, std::chrono::milliseconds period, std::string what, Job job);
  /// Stops: a run under way finishes, none starts after.
  ~WriterTimer();
  WriterTimer(const WriterTimer&) = delete;
  WriterTimer& operator=(const WriterTimer&) = delete;

  /// Runs that reached their commit (for tests).
  int runs() const;

 private:
  void Loop();
  void RunOnce();

  store::Writer& writer_;
  std::chrono::milliseconds period_;
  std::string what_;
  Job job_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int runs_ = 0;
  std::thread thread_;
};

/// Every period, service::EvaluateZones.
class ZoneTimer : public WriterTimer {
 public:
  /// REQUIRES: what `env` refers to outlives the timer.
  ZoneTimer(store::Writer& writer, service::Env env, std::chrono::milliseconds period);
};

/// Every period, service::PurgeGateScans: scans older than the retention period go.
class GateScanPurgeTimer : public WriterTimer {
 public:
  /// REQUIRES: what `env` refers to outlives the timer.
  GateScanPurgeTimer(store::Writer& writer, service::Env env, std::chrono::milliseconds period);
};

}  // namespace swabline::http
