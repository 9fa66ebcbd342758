#pragma once
/// Tickets for the event stream (GET /api/v1/events?ticket=): a browser's EventSource cannot
/// send an Authorization header, and a session token must never appear in a URL (it would
/// reach logs and histories). A ticket is good for one stream, once, for a minute, and only
/// for the stream. Thread-safe; held in memory (a ticket is redeemed on the server that
/// issued it, within a minute).

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/civil_time.hpp"
#include "core/text.hpp"
#include "service/env.hpp"

namespace swabline::service {

class StreamTickets {
 public:
  static constexpr core::Micros kLifetime = 60LL * 1'000'000;
  /// Tickets waiting at once; issuing more first forgets the expired, then refuses.
  static constexpr std::size_t kMaxWaiting = 10'000;

  struct Issued {
    std::string ticket;  // "swt_" and 64 hex characters
    core::Micros expires_at = 0;
  };
  /// A new ticket acting as `actor`; nullopt when kMaxWaiting tickets wait unredeemed.
  std::optional<Issued> Issue(const Actor& actor, core::Micros now);
  /// The actor of a ticket issued less than kLifetime ago and never redeemed; the ticket is
  /// spent either way.
  std::optional<Actor> Redeem(std::string_view ticket, core::Micros now);

 private:
  struct Waiting {
    Actor actor;
    core::Micros expires_at = 0;
  };
  std::mutex mu_;
  /// By the ticket's digest: what is kept could not be redeemed if it leaked.
  std::unordered_map<std::string, Waiting, core::StringHash, std::equal_to<>> waiting_;
};

}  // namespace swabline::service
