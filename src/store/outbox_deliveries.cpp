#include "store/outbox_deliveries.hpp"

namespace swabline::store {

std::int64_t LastOutboxId(Connection& db) {
  auto q = db.Query("SELECT COALESCE(MAX(id), 0) FROM outbox");
  q->Next();
  return q->Int(0);
}

std::int64_t LastEnqueued(Connection& db, std::string_view adapter) {
  auto q = db.Query("SELECT COALESCE(MAX(outbox_id), 0) FROM outbox_deliveries WHERE adapter = ?");
  q->Bind(1, adapter);
  q->Next();
  return q->Int(0);
}

std::size_t EnqueueDeliveries(Tx& tx, std::string_view adapter, std::int64_t now) {
  const std::int64_t after = LastEnqueued(tx.db(), adapter);
  auto q = tx.Query(
      "INSERT INTO outbox_deliveries(outbox_id, adapter, next_attempt_at) "
      "SELECT id, ?, ? FROM outbox WHERE id > ? ORDER BY id");
  q->Bind(1, adapter).Bind(2, now).Bind(3, after);
  q->RunOrThrow();
  return static_cast<std::size_t>(tx.db().Changes());
}

bool AnyDue(Connection& db, std::string_view adapter, std::int64_t now) {
  auto q = db.Query(
      "SELECT 1 FROM outbox_deliveries WHERE adapter = ? AND delivered_at IS NULL "
      "AND next_attempt_at <= ? LIMIT 1");
  q->Bind(1, adapter).Bind(2, now);
  return q->Next() == Step::kRow;
}

std::vector<DueDelivery> ClaimDue(Tx& tx, std::string_view adapter, std::int64_t now,
                                  std::size_t limit, std::int64_t lease_until) {
  std::vector<DueDelivery> out;
  {
    auto q = tx.Query(
        "SELECT d.outbox_id, o.event, o.recipient_kind, o.recipient, o.payload, o.created_at, "
        "d.attempts FROM outbox_deliveries d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE d.adapter = ? AND d.delivered_at IS NULL AND d.next_attempt_at <= ? "
        "ORDER BY d.next_attempt_at, d.outbox_id LIMIT ?");
    q->Bind(1, adapter).Bind(2, now).Bind(3, static_cast<std::int64_t>(limit));
    while (q->Next() == Step::kRow)
      out.push_back({q->Int(0), q->Str(1), q->Str(2), q->Str(3), q->Str(4), q->Int(5),
                     static_cast<int>(q->Int(6))});
  }
  auto lease = tx.Query(
      "UPDATE outbox_deliveries SET next_attempt_at = ? WHERE adapter = ? AND outbox_id = ?");
  for (const DueDelivery& d : out) {
    lease->Reset();
    lease->Bind(1, lease_until).Bind(2, adapter).Bind(3, d.outbox_id);
    lease->RunOrThrow();
  }
  return out;
}

void ReleaseClaims(Tx& tx, std::string_view adapter, const std::vector<std::int64_t>& outbox_ids,
                   std::int64_t now) {
  auto q = tx.Query(
      "UPDATE outbox_deliveries SET next_attempt_at = ? "
      "WHERE adapter = ? AND outbox_id = ? AND delivered_at IS NULL");
  for (std::int64_t id : outbox_ids) {
    q->Reset();
    q->Bind(1, now).Bind(2, adapter).Bind(3, id);
    q->RunOrThrow();
  }
}

void MarkDelivered(Tx& tx, std::string_view adapter, std::int64_t outbox_id, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE outbox_deliveries SET attempts = attempts + 1, delivered_at = ?, last_error = NULL "
      "WHERE adapter = ? AND outbox_id = ? AND delivered_at IS NULL");
  q->Bind(1, now).Bind(2, adapter).Bind(3, outbox_id);
  q->RunOrThrow();
}

void MarkFailed(Tx& tx, std::string_view adapter, std::int64_t outbox_id, std::string_view error,
                std::int64_t next_attempt_at) {
  auto q = tx.Query(
      "UPDATE outbox_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
      "WHERE adapter = ? AND outbox_id = ? AND delivered_at IS NULL");
  q->Bind(1, error).Bind(2, next_attempt_at).Bind(3, adapter).Bind(4, outbox_id);
  q->RunOrThrow();
}

DeliveryBacklog Backlog(Connection& db, std::string_view adapter) {
  auto q = db.Query(
      "SELECT COUNT(*), MIN(outbox_id) FROM outbox_deliveries "
      "WHERE adapter = ? AND delivered_at IS NULL");
  q->Bind(1, adapter);
  q->Next();
  DeliveryBacklog out{q->Int(0), std::nullopt};
  const std::optional<std::int64_t> oldest = q->OptInt(1);
  if (!oldest) return out;
  auto c = db.Query("SELECT created_at FROM outbox WHERE id = ?");
  c->Bind(1, *oldest);
  if (c->Next() == Step::kRow) out.oldest_created_at = c->Int(0);
  return out;
}

}  // namespace swabline::store
