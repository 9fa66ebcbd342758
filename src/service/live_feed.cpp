#include "service/live_feed.hpp"

#include <algorithm>

namespace swabline::service {
namespace {

/// A commit touching more sites than this is kept event by event past them: adding up looks
/// back over what is merged so far, and this bounds that look.
constexpr std::size_t kMaxMergeKeys = 64;

bool SameSubject(const core::LiveEvent& a, const core::LiveEvent& b) {
  return a.kind == b.kind && a.subject == b.subject;
}

}  // namespace

LiveFeed::LiveFeed(std::uint64_t first_id, std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      ring_(capacity_),
      first_id_(std::max<std::uint64_t>(first_id, 1)),
      next_id_(first_id_) {}

void LiveFeed::Publish(std::span<const core::LiveEvent> events) {
  if (events.empty()) return;
  merged_.clear();
  sums_.clear();
  for (const core::LiveEvent& e : events) {
    if (core::LiveEventAddsUp(e.kind)) {
      auto it = std::find_if(sums_.begin(), sums_.end(),
                             [&](std::size_t i) { return SameSubject(merged_[i], e); });
      if (it != sums_.end()) {
        core::LiveEvent& sum = merged_[*it];
        sum.count += e.count;
        sum.positives += e.positives;
        sum.at = std::max(sum.at, e.at);
        continue;
      }
      if (sums_.size() < kMaxMergeKeys) sums_.push_back(merged_.size());
    }
    merged_.push_back(e);
  }
  {
    std::lock_guard lock(mu_);
    for (const core::LiveEvent& e : merged_) Keep(e);
  }
  std::lock_guard lock(listener_mu_);
  if (listener_) listener_();
}

void LiveFeed::SetListener(std::function<void()> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::move(listener);
}

void LiveFeed::Keep(const core::LiveEvent& event) {
  core::LiveEvent& slot = ring_[next_id_ % capacity_];
  slot = event;
  slot.id = next_id_++;
}

LiveFeed::Slice LiveFeed::Read(std::uint64_t after_id, std::optional<std::int64_t> scope_place_id,
                               std::size_t max, std::vector<core::LiveEvent>& out) const {
  std::lock_guard lock(mu_);
  Slice slice;
  slice.newest = next_id_ - 1;
  const std::uint64_t oldest = next_id_ - std::min<std::uint64_t>(next_id_ - first_id_, capacity_);
  // after_id + 1 is the first event wanted; it must still be in the ring (or not yet be).
  if (after_id + 1 < oldest || after_id > slice.newest) {
    slice.gap = true;
    return slice;
  }
  std::size_t taken = 0;
  for (std::uint64_t id = after_id + 1; id < next_id_; ++id) {
    const core::LiveEvent& e = ring_[id % capacity_];
    if (e.VisibleTo(scope_place_id)) {
      if (taken == max) {
        slice.newest = id - 1;
        return slice;
      }
      out.push_back(e);
      ++taken;
    }
  }
  return slice;
}

std::uint64_t LiveFeed::Newest() const {
  std::lock_guard lock(mu_);
  return next_id_ - 1;
}

}  // namespace swabline::service
