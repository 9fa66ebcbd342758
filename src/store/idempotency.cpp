#include "store/idempotency.hpp"

namespace swabline::store {

std::optional<StoredResponse> FindIdempotent(Connection& db, std::int64_t user_id,
                                             std::string_view key) {
  auto q = db.Query(
      "SELECT fingerprint, status, content_type, body FROM idempotency WHERE user_id = ? AND "
      "key = ?");
  q->Bind(1, user_id).Bind(2, key);
  if (q->Next() != Step::kRow) return std::nullopt;
  return StoredResponse{q->Str(0), static_cast<int>(q->Int(1)), q->Str(2), std::string(q->Blob(3))};
}

void InsertIdempotent(Tx& tx, std::int64_t user_id, std::string_view key, const StoredResponse& r,
                      std::int64_t now) {
  auto q = tx.Query(
      "INSERT OR IGNORE INTO idempotency(user_id, key, fingerprint, status, content_type, body, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, user_id).Bind(2, key).Bind(3, r.fingerprint).Bind(4, r.status);
  q->Bind(5, r.content_type).BindBlob(6, r.body).Bind(7, now);
  q->RunOrThrow();
}

}  // namespace swabline::store
