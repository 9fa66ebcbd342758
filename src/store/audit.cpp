#include "store/audit.hpp"

#include <sodium.h>

#include <charconv>

namespace swabline::store {
namespace {

void Feed(std::string& message, std::string_view field) {
  // Length-prefixed so that ("ab","c") and ("a","bc") hash differently.
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int i = 0; i < 8; ++i) message.push_back(static_cast<char>(n >> (8 * i)));
  message.append(field);
}

void FeedNumber(std::string& message, std::int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  Feed(message, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

std::string ChainHash(std::string_view prev, std::int64_t seq, std::int64_t at,
                      const AuditEntry& e) {
  // The fields laid end to end and hashed in one call: every write appends a record, and
  // sixteen small updates cost more than the hashing itself.
  thread_local std::string message;
  message.clear();
  Feed(message, prev);
  FeedNumber(message, seq);
  FeedNumber(message, at);
  Feed(message, e.actor);
  Feed(message, e.action);
  Feed(message, e.entity);
  Feed(message, e.entity_id);
  Feed(message, e.detail);
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size());
  return out;
}

const std::string kGenesis(crypto_hash_sha256_BYTES, '\0');

}  // namespace

void AppendAudit(Tx& tx, std::int64_t at, const AuditEntry& e) {
  std::int64_t seq = 1;
  std::string prev = kGenesis;
  {
    // Read from the database rather than a cached head: a rolled-back savepoint takes its
    // audit records with it, and the chain stays right without any bookkeeping here.
    auto q = tx.Query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (q->Next() == Step::kRow) {
      seq = q->Int(0) + 1;
      prev = std::string(q->Blob(1));
    }
  }
  const std::string hash = ChainHash(prev, seq, at, e);
  auto q = tx.Query(
      "INSERT INTO audit(seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, seq).Bind(2, at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.entity);
  q->Bind(6, e.entity_id).Bind(7, e.detail).BindBlob(8, prev).BindBlob(9, hash);
  q->RunOrThrow();
}

AuditVerdict VerifyAudit(Connection& db) {
  AuditVerdict v;
  std::string prev = kGenesis;
  std::int64_t expected_seq = 1;
  auto q = db.Query(
      "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit "
      "ORDER BY seq");
  while (q->Next() == Step::kRow) {
    const std::int64_t seq = q->Int(0);
    AuditEntry e{q->Str(2), q->Str(3), q->Str(4), q->Str(5), q->Str(6)};
    if (seq != expected_seq) {
      v.broken_seq = expected_seq;
      v.reason = "record " + std::to_string(expected_seq) + " is missing";
      return v;
    }
    if (q->Blob(7) != prev) {
      v.broken_seq = seq;
      v.reason = "record " + std::to_string(seq) + " does not link to the record before it";
      return v;
    }
    const std::string hash = ChainHash(prev, seq, q->Int(1), e);
    if (q->Blob(8) != hash) {
      v.broken_seq = seq;
      v.reason = "record " + std::to_string(seq) + " was altered after it was written";
      return v;
    }
    prev = hash;
    ++expected_seq;
    ++v.records;
  }
  return v;
}

}  // namespace swabline::store
