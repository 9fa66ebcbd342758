#pragma once
/// The live dashboard's feed (docs/api.md, "Live dashboard"): the events of committed changes,
/// numbered, in a bounded ring that streams read from. Thread-safe.
///
/// Memory is bounded by the ring: a publisher never waits for a reader, and a reader that
/// asks for events older than the ring holds is told so (the stream then sends `reset`, and
/// the client reloads its snapshot).

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/live_event.hpp"

namespace swabline::service {

class LiveFeed {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;

  /// `first_id`: the id the first event gets. A server starts from the clock (microseconds),
  /// so that ids grow across restarts and an id from before one is simply too old.
  explicit LiveFeed(std::uint64_t first_id, std::size_t capacity = kDefaultCapacity);

  /// Numbers and keeps one commit's events, adding up those that add up (samples, seals and
  /// results of the same site: LiveEventAddsUp), then calls the listener. Called on the
  /// writer thread (store::Writer's event sink) or by a sweep.
  void Publish(std::span<const core::LiveEvent> events);

  /// Called after each Publish that kept something, on the publishing thread: must be quick
  /// (a stream hub posts one wake-up). Null: none.
  void SetListener(std::function<void()> listener);

  struct Slice {
    /// Set when events after the asked id have left the ring (or the id is from the future,
    /// i.e. another run of the server): the reader has missed some.
    bool gap = false;
    /// The newest id in the feed (0 before the first event less one): where to go on from.
    std::uint64_t newest = 0;
  };
  /// Appends to `out` the events after `after_id` that `visible` keeps, at most `max` of them
  /// (the newest `newest` is then the last one looked at, so a reader continues from it).
  Slice Read(std::uint64_t after_id, std::optional<std::int64_t> scope_place_id, std::size_t max,
             std::vector<core::LiveEvent>& out) const;

  /// The id of the newest event (first_id - 1 before any).
  std::uint64_t Newest() const;

 private:
  /// REQUIRES: mu_ held.
  void Keep(const core::LiveEvent& event);

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::vector<core::LiveEvent> ring_;  // ring_[id % capacity_]
  std::uint64_t first_id_;
  std::uint64_t next_id_;
  /// One commit's events, added up; reused (publisher side only).
  std::vector<core::LiveEvent> merged_;
  std::vector<std::size_t> sums_;  // where in merged_ the events that add up are
  std::mutex listener_mu_;
  std::function<void()> listener_;
};

}  // namespace swabline::service
