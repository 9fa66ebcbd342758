#pragma once
/// The server's clock, which tests and demos may move (`serve --settable-clock`): days of a
/// zone's life played in seconds. Everything reads it through Env::clock.

#include <atomic>

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// The system clock moved by an offset. It keeps running from the time it is set to, so
/// times stay distinct and ordered; without a Set it is the system clock. Thread-safe.
class SettableClock : public core::Clock {
 public:
  core::Micros Now() const override;
  /// From now on Now() reads `now` plus the time passed since this call.
  void Set(core::Micros now);

 private:
  SystemClock system_;
  std::atomic<core::Micros> offset_{0};
};

/// Sets the clock (admin only), with an audit record at the new time. The clock only moves
/// forward: what is recorded (timelines, the audit chain, results) stays in time order.
/// kForbidden, kInvalidField (field `now`: earlier than the clock's time).
core::Result<core::Micros> SetClock(store::Tx& tx, SettableClock& clock, const Actor& actor,
                                    core::Micros now);

}  // namespace swabline::service
