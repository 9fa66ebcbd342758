#include "http/zone_timer.hpp"

#include <spdlog/spdlog.h>

#include "service/checkpoints.hpp"
#include "service/zone_rules.hpp"

namespace swabline::http {

WriterTimer::WriterTimer(store::Writer& writer, std::chrono::milliseconds period, std::string what,
                         Job job)
    : writer_(writer),
      period_(period),
      what_(std::move(what)),
      job_(std::move(job)),
      thread_([this] { Loop(); }) {}

WriterTimer::~WriterTimer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int WriterTimer::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void WriterTimer::Loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    RunOnce();
    lock.lock();
  }
}

void WriterTimer::RunOnce() {
  try {
    const std::string line = writer_.RunSync([this](store::Tx& tx) { return job_(tx); });
    if (!line.empty()) spdlog::info("{}: {}", what_, line);
    std::lock_guard lock(mu_);
    ++runs_;
  } catch (const std::exception& e) {
    // The writer is busy or failing: the next period tries again.
    spdlog::warn("{}: the run failed: {}", what_, e.what());
  }
}

ZoneTimer::ZoneTimer(store::Writer& writer, service::Env env, std::chrono::milliseconds period)
    : WriterTimer(writer, period, "zone policy", [env](store::Tx& tx) {
        const std::size_t changed = service::EvaluateZones(tx, env, "system").changed.size();
        return changed > 0 ? std::to_string(changed) + " zones changed by its lifting rules"
                           : std::string();
      }) {}

GateScanPurgeTimer::GateScanPurgeTimer(store::Writer& writer, service::Env env,
                                       std::chrono::milliseconds period)
    : WriterTimer(writer, period, "gate scans", [env](store::Tx& tx) {
        const std::int64_t deleted = service::PurgeGateScans(tx, env);
        return deleted > 0 ? std::to_string(deleted) + " scans past the retention period deleted"
                           : std::string();
      }) {}

}  // namespace swabline::http
