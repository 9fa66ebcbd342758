#include "service/clock.hpp"

#include "store/audit.hpp"

namespace swabline::service {

core::Micros SettableClock::Now() const { return system_.Now() + offset_.load(); }

void SettableClock::Set(core::Micros now) { offset_.store(now - system_.Now()); }

core::Result<core::Micros> SetClock(store::Tx& tx, SettableClock& clock, const Actor& actor,
                                    core::Micros now) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(core::ErrorCode::kForbidden, "only an admin may set the clock");
  const core::Micros was = clock.Now();
  if (now < was)
    return core::Fail(core::ErrorCode::kInvalidField,
                      "the clock only moves forward; it reads " + core::FormatRfc3339(was))
        .With("field", "now");
  store::AppendAudit(tx, now,
                     {actor.username, "clock.set", "clock", "server",
                      "from " + core::FormatRfc3339(was) + " to " + core::FormatRfc3339(now)});
  clock.Set(now);
  return clock.Now();
}

}  // namespace swabline::service
