#pragma once
/// Admission control for the queues in front of the database (the reader pool and the
/// writer): under more load than they can serve, the requests they cannot serve in time are
/// refused at once with 503 `overloaded` (and Retry-After), so that the ones accepted are
/// still served within the latency target, rather than every request waiting longer and
/// longer. Two rules, per queue:
/// - depth: a request finding `max_queued` requests already waiting is refused on arrival;
/// - sojourn (after CoDel): a request that waited over `budget` by the time a thread takes it
///   is refused then, unserved, rather than served late (its client has likely given up, and
///   serving it would make the next one later still) — but only once requests have been
///   taken late for longer than `budget` on end: a standing queue, not a passing burst or one
///   slow commit, which a quiet server rides out without refusing anyone.
/// /healthz and /metrics never queue, so they are never refused.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace swabline::http {

struct AdmissionLimits {
  /// The longest a request may wait for a thread; zero: no limit. `serve --queue-budget-ms`.
  std::chrono::microseconds budget{std::chrono::milliseconds(100)};
  /// Requests waiting at once; zero: no limit. `serve --max-queued`.
  std::size_t max_queued = 4096;
};

/// One queue's admission. Thread-safe (atomics only).
class Admission {
 public:
  using Clock = std::chrono::steady_clock;

  struct Ticket {
    Clock::time_point queued_at;
  };

  explicit Admission(AdmissionLimits limits = {}) : limits_(limits) {}
  /// REQUIRES: before the first Enter.
  void Configure(AdmissionLimits limits) { limits_ = limits; }

  /// A request arrives at `now`: true (counted as waiting) unless the queue is full.
  bool Enter(Clock::time_point now, Ticket& ticket);
  /// A thread takes the request at `now`: it stops waiting. False when it waited over the
  /// budget, and must then be refused unserved.
  bool Start(const Ticket& ticket, Clock::time_point now);

  std::size_t waiting() const { return waiting_.load(); }
  std::uint64_t refused_full() const { return refused_full_.load(); }
  std::uint64_t refused_late() const { return refused_late_.load(); }

 private:
  AdmissionLimits limits_;
  std::atomic<std::size_t> waiting_{0};
  std::atomic<std::uint64_t> refused_full_{0};
  std::atomic<std::uint64_t> refused_late_{0};
  static constexpr std::int64_t kOnTime = std::numeric_limits<std::int64_t>::min();
  /// When the requests taken began to be late (steady clock ticks), or kOnTime.
  std::atomic<std::int64_t> late_since_{kOnTime};
};

/// The Prometheus lines of the queues' refusals and depths, for /metrics.
std::string RenderAdmission(const Admission& readers, const Admission& writer);

}  // namespace swabline::http
