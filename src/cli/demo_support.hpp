#pragma once
/// What the demo's seeding steps share: a clock moved by hand, the demo users as actors, and
/// a way to stop the seeding loudly when a use case refuses a step.

#include <stdexcept>
#include <string>
#include <utility>

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "service/env.hpp"

namespace swabline::cli::demo {

constexpr core::Micros kSecond = 1'000'000;
constexpr core::Micros kMinute = 60 * kSecond;
constexpr core::Micros kHour = 60 * kMinute;

/// A clock the seeding moves by hand, so the demo's times look like a real day.
class Clock : public core::Clock {
 public:
  explicit Clock(core::Micros t) : t_(t) {}
  core::Micros Now() const override { return t_; }
  void Set(core::Micros t) { t_ = t; }

 private:
  core::Micros t_;
};

/// The value, or an exception naming the step: a demo that cannot be seeded must not start.
template <typename T>
T Must(core::Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string("demo: ") + what + ": " + r.error().detail);
  return std::move(r).value();
}

/// A demo user (unscoped) acting in a seeding step.
inline service::Actor As(const char* username, core::Role role) {
  service::Actor a = service::Actor::System();
  a.username = username;
  a.role = role;
  return a;
}

}  // namespace swabline::cli::demo
