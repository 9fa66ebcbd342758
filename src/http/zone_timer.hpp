#pragma once
/// The server's own evaluation of the zone policy's lifting rules: every period, one
/// service::EvaluateZones job through the group-commit writer, as any write.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "service/env.hpp"
#include "store/writer.hpp"

namespace swabline::http {

class ZoneTimer {
 public:
  /// Starts the timer thread; the first evaluation comes one `period` from now. REQUIRES:
  /// `writer` and what `env` refers to outlive the timer.
  ZoneTimer(store::Writer& writer, service::Env env, std::chrono::milliseconds period);
  /// Stops: an evaluation under way finishes, none starts after.
  ~ZoneTimer();
  ZoneTimer(const ZoneTimer&) = delete;
  ZoneTimer& operator=(const ZoneTimer&) = delete;

  /// Evaluations that ran to their commit (for tests).
  int runs() const;

 private:
  void Loop();
  void RunOnce();

  store::Writer& writer_;
  service::Env env_;
  std::chrono::milliseconds period_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int runs_ = 0;
  std::thread thread_;
};

}  // namespace swabline::http
