#pragma once
/// Delivery bookkeeping for the outbox (docs/outbreak.md, "Notifications"): one row per
/// message and adapter. The worker takes new messages on, claims the due ones, and marks each
/// delivered or failed. A row marked delivered is never claimed again.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

/// A message due for one adapter, with what it says.
struct DueDelivery {
  std::int64_t outbox_id = 0;
  std::string event;
  std::string recipient_kind;
  std::string recipient;
  std::string payload;  // a JSON object's text
  std::int64_t created_at = 0;
  int attempts = 0;  // failed attempts so far
};

/// What is still to deliver for one adapter.
struct DeliveryBacklog {
  std::int64_t pending = 0;
  std::optional<std::int64_t> oldest_created_at;  // of the oldest pending message
};

/// The newest outbox message's id, 0 for none.
std::int64_t LastOutboxId(Connection& db);
/// The highest outbox id `adapter` has taken on, 0 for none (one index seek).
std::int64_t LastEnqueued(Connection& db, std::string_view adapter);
/// Takes on, for `adapter`, every message after the last it has, due at `now`. An adapter new
/// to the database takes on the whole backlog. Returns how many.
std::size_t EnqueueDeliveries(Tx& tx, std::string_view adapter, std::int64_t now);
/// True when some undelivered row of `adapter` is due at `now` (a read, to skip the writer).
bool AnyDue(Connection& db, std::string_view adapter, std::int64_t now);
/// Up to `limit` undelivered rows of `adapter` due at `now`, oldest due first, each put off
/// until `lease_until` so that a crash mid-send leaves it to be retried then.
std::vector<DueDelivery> ClaimDue(Tx& tx, std::string_view adapter, std::int64_t now,
                                  std::size_t limit, std::int64_t lease_until);
/// Makes claimed rows due again at `now` (a worker stopping before it sent them).
void ReleaseClaims(Tx& tx, std::string_view adapter, const std::vector<std::int64_t>& outbox_ids,
                   std::int64_t now);
/// Counts the attempt and marks the row delivered; a row already delivered is left as is.
void MarkDelivered(Tx& tx, std::string_view adapter, std::int64_t outbox_id, std::int64_t now);
/// Counts the failed attempt, keeps `error`, and makes the row due again at `next_attempt_at`.
void MarkFailed(Tx& tx, std::string_view adapter, std::int64_t outbox_id, std::string_view error,
                std::int64_t next_attempt_at);
DeliveryBacklog Backlog(Connection& db, std::string_view adapter);

}  // namespace swabline::store
