#include "service/key_rotation.hpp"

#include <string>
#include <vector>

namespace swabline::service {

SealedCensus CountSealedIdNumbers(store::Connection& db, const store::Vault& vault) {
  SealedCensus census;
  auto q = db.Query("SELECT doc_cipher FROM residents");
  while (q->Next() == store::Step::kRow) {
    ++census.total;
    if (auto opened = vault.OpenWithKid(q->Blob(0)))
      ++census.by_kid[opened->kid];
    else
      ++census.unreadable;
  }
  return census;
}

ReencryptStep ReencryptBatch(store::Tx& tx, const store::Vault& vault, std::int64_t after_id,
                             int limit) {
  struct Row {
    std::int64_t id;
    std::string cipher;
  };
  std::vector<Row> rows;
  {
    auto q = tx.Query("SELECT id, doc_cipher FROM residents WHERE id > ? ORDER BY id LIMIT ?");
    q->Bind(1, after_id).Bind(2, limit);
    while (q->Next() == store::Step::kRow) rows.push_back({q->Int(0), std::string(q->Blob(1))});
  }
  ReencryptStep step;
  step.last_id = after_id;
  step.done = rows.size() < static_cast<std::size_t>(limit);
  const std::uint32_t newest = vault.NewestKid(store::KeyKind::kIdNumber);
  for (const Row& row : rows) {
    ++step.scanned;
    step.last_id = row.id;
    auto opened = vault.OpenWithKid(row.cipher);
    if (!opened) {
      ++step.unreadable;
      continue;
    }
    if (opened->kid == newest) continue;
    auto u = tx.Query("UPDATE residents SET doc_cipher = ? WHERE id = ? AND doc_cipher = ?");
    u->BindBlob(1, vault.Seal(opened->plaintext)).Bind(2, row.id).BindBlob(3, row.cipher);
    u->RunOrThrow();
    step.resealed += tx.db().Changes();
  }
  return step;
}

std::int64_t CodeHoldersBefore(store::Connection& db, core::Micros superseded_at) {
  auto q = db.Query("SELECT COUNT(*) FROM residents WHERE MAX(created_at, code_issued_at) < ?");
  q->Bind(1, superseded_at);
  q->Next();
  return q->Int(0);
}

}  // namespace swabline::service
