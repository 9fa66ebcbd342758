#pragma once
/// Token buckets keyed by text (a client address; an address and a username): the rate limits
/// of the public endpoints (docs/openapi.yaml, `rate_limited`).

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/text.hpp"
#include "service/env.hpp"

namespace swabline::http {

/// The rate limits of the public endpoints, per minute (0: unlimited); `serve` flags.
struct RateLimits {
  double login_attempts = 120;      // POST /sessions per client address
  double login_failures = 5;        // failed logins per (client address, username)
  double status_lookups = 60;       // GET /status?code= per client address
  double request_submissions = 30;  // POST /requests without a token per client address
};

/// Each key's bucket holds up to `burst` tokens and regains `per_minute` a minute. In memory,
/// and bounded: past `max_keys` the least recently used bucket is dropped, which forgives
/// that key only (it comes back full). A restart forgives everyone, acceptable for a rate
/// limit. Thread-safe.
class RateLimiter {
 public:
  struct Limit {
    double per_minute = 0;  // 0: unlimited
    double burst = 0;       // 0: as per_minute
    std::size_t max_keys = 100'000;
  };

  explicit RateLimiter(Limit limit) { Configure(limit); }
  /// REQUIRES: before the server starts.
  void Configure(Limit limit);

  /// Takes a token from `key`'s bucket: false (nothing taken) when it is empty.
  bool Take(std::string_view key, core::Micros now);
  /// True when `key`'s bucket has a token, which is left in it.
  bool Has(std::string_view key, core::Micros now);
  /// Fills `key`'s bucket again (a success forgives earlier failures).
  void Forgive(std::string_view key);
  /// Whole seconds until `key`'s bucket has a token again; at least 1.
  int RetryAfterSeconds(std::string_view key, core::Micros now);

 private:
  struct Bucket {
    double tokens = 0;
    core::Micros at = 0;
    std::list<std::string>::iterator lru;
  };
  using Map = std::unordered_map<std::string, Bucket, core::StringHash, std::equal_to<>>;

  /// REQUIRES: mu_ held and the limit on. The bucket of `key`, refilled to `now` and made the
  /// most recently used, made full when new.
  Bucket& Refilled(std::string_view key, core::Micros now);

  Limit limit_;
  std::mutex mu_;
  Map buckets_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace swabline::http
