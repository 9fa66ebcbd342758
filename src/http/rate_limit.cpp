#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace swabline::http {

namespace {
constexpr double kMicrosPerMinute = 60e6;
}

void RateLimiter::Configure(Limit limit) {
  std::lock_guard lock(mu_);
  if (limit.burst <= 0) limit.burst = limit.per_minute;
  limit.max_keys = std::max<std::size_t>(limit.max_keys, 1);
  limit_ = limit;
  buckets_.clear();
  lru_.clear();
}

RateLimiter::Bucket& RateLimiter::Refilled(std::string_view key, core::Micros now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_keys) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(key);
    it = buckets_.emplace(lru_.front(), Bucket{limit_.burst, now, lru_.begin()}).first;
    return it->second;
  }
  Bucket& b = it->second;
  lru_.splice(lru_.begin(), lru_, b.lru);
  if (now > b.at) {
    const double gained = static_cast<double>(now - b.at) / kMicrosPerMinute * limit_.per_minute;
    b.tokens = std::min(limit_.burst, b.tokens + gained);
    b.at = now;
  }
  return b;
}

bool RateLimiter::Take(std::string_view key, core::Micros now) {
  std::lock_guard lock(mu_);
  if (limit_.per_minute <= 0) return true;
  Bucket& b = Refilled(key, now);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

bool RateLimiter::Has(std::string_view key, core::Micros now) {
  std::lock_guard lock(mu_);
  if (limit_.per_minute <= 0) return true;
  return Refilled(key, now).tokens >= 1;
}

void RateLimiter::Forgive(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return;
  lru_.erase(it->second.lru);
  buckets_.erase(it);
}

int RateLimiter::RetryAfterSeconds(std::string_view key, core::Micros now) {
  std::lock_guard lock(mu_);
  if (limit_.per_minute <= 0) return 1;
  const double missing = 1 - Refilled(key, now).tokens;
  if (missing <= 0) return 1;
  return std::max(1, static_cast<int>(std::ceil(missing / limit_.per_minute * 60)));
}

}  // namespace swabline::http
