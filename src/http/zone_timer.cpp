#include "http/zone_timer.hpp"

#include <spdlog/spdlog.h>

#include "service/zone_rules.hpp"

namespace swabline::http {

ZoneTimer::ZoneTimer(store::Writer& writer, service::Env env, std::chrono::milliseconds period)
    : writer_(writer), env_(env), period_(period), thread_([this] { Loop(); }) {}

ZoneTimer::~ZoneTimer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int ZoneTimer::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void ZoneTimer::Loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    RunOnce();
    lock.lock();
  }
}

void ZoneTimer::RunOnce() {
  try {
    const std::size_t changed = writer_.RunSync([this](store::Tx& tx) {
      return service::EvaluateZones(tx, env_, "system").changed.size();
    });
    if (changed > 0) spdlog::info("zone policy: {} zones changed by its lifting rules", changed);
    std::lock_guard lock(mu_);
    ++runs_;
  } catch (const std::exception& e) {
    // The writer is busy or failing: the next period tries again.
    spdlog::warn("zone policy: evaluating the lifting rules failed: {}", e.what());
  }
}

}  // namespace swabline::http
