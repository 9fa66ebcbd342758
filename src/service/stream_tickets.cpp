#include "service/stream_tickets.hpp"

#include <sodium.h>

#include <iterator>

#include "service/auth.hpp"
#include "store/vault.hpp"

namespace swabline::service {

std::optional<StreamTickets::Issued> StreamTickets::Issue(const Actor& actor, core::Micros now) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  Issued issued;
  issued.ticket = "swt_" + store::ToHex(std::string_view(reinterpret_cast<char*>(raw), sizeof raw));
  issued.expires_at = now + kLifetime;
  std::lock_guard lock(mu_);
  if (waiting_.size() >= kMaxWaiting)
    std::erase_if(waiting_, [&](const auto& entry) { return entry.second.expires_at <= now; });
  if (waiting_.size() >= kMaxWaiting) return std::nullopt;
  waiting_.emplace(TokenDigest(issued.ticket), Waiting{actor, issued.expires_at});
  return issued;
}

std::optional<Actor> StreamTickets::Redeem(std::string_view ticket, core::Micros now) {
  if (ticket.empty()) return std::nullopt;
  const std::string digest = TokenDigest(ticket);
  std::lock_guard lock(mu_);
  auto it = waiting_.find(digest);
  if (it == waiting_.end()) return std::nullopt;
  Waiting w = std::move(it->second);
  waiting_.erase(it);
  if (w.expires_at <= now) return std::nullopt;
  return std::move(w.actor);
}

}  // namespace swabline::service
