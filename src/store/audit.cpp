#include "store/audit.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/civil_time.hpp"

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

constexpr std::int64_t kDay = 86'400LL * 1'000'000;

std::int64_t DayNumber(std::int64_t at) { return at / kDay - (at % kDay < 0 ? 1 : 0); }

std::string DayText(std::int64_t at) {
  const core::CivilDate d = core::DateOf(at);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
  return text;
}

/// Keeps the first anchor of a day: a clock set back and forward again does not replace it.
void StoreAnchor(Tx& tx, const AuditAnchor& anchor, std::int64_t now) {
  auto q = tx.Query(
      "INSERT OR IGNORE INTO audit_anchors(day, seq, head_hash, created_at) VALUES (?, ?, ?, ?)");
  q->Bind(1, anchor.day).Bind(2, anchor.seq).BindBlob(3, anchor.head_hash).Bind(4, now);
  q->RunOrThrow();
}

/// Checks the chain's record `seq` of hash `hash` against the anchors at `seq` (sorted by
/// seq, `next` the first not yet checked). Returns the reason of a mismatch, or "".
std::string CheckAnchors(const std::vector<AuditAnchor>& anchors, std::size_t& next,
                         std::int64_t seq, std::string_view hash) {
  for (; next < anchors.size() && anchors[next].seq == seq; ++next)
    if (anchors[next].head_hash != hash)
      return "record " + std::to_string(seq) + " is not the head anchored for " +
             anchors[next].day + ": the chain was rewritten up to there";
  return "";
}

}  // namespace

void AppendAudit(Tx& tx, std::int64_t at, const AuditEntry& e) {
  // The writer keeps the head between records of a batch and empties it on every rollback
  // (a rolled-back savepoint takes its records with it) and at every BEGIN (another process
  // may have written since): only then is it read back from the table.
  std::optional<AuditChainHead> local;
  std::optional<AuditChainHead>& head = tx.audit_head() ? *tx.audit_head() : local;
  if (!head) {
    auto q = tx.Query("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1");
    head.emplace();
    if (q->Next() == Step::kRow) {
      head->seq = q->Int(0);
      head->hash = std::string(q->Blob(1));
      head->at = q->Int(2);
    } else {
      head->hash = kGenesis;
    }
  }
  const std::int64_t seq = head->seq + 1;
  const std::string_view prev = head->hash;
  // The first record after midnight (UTC) anchors the day before: no timer to run, and a day
  // without records needs no anchor (its head is the day before's).
  if (head->seq > 0 && DayNumber(at) > DayNumber(head->at))
    StoreAnchor(tx, {DayText(head->at), head->seq, std::string(prev)}, at);
  std::string hash = ChainHash(prev, seq, at, e);
  auto q = tx.Query(
      "INSERT INTO audit(seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q->Bind(1, seq).Bind(2, at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.entity);
  q->Bind(6, e.entity_id).Bind(7, e.detail).BindBlob(8, prev).BindBlob(9, hash);
  try {
    q->RunOrThrow();
  } catch (...) {
    head.reset();  // the record may or may not be in: read the head back next time
    throw;
  }
  head->seq = seq;
  head->hash = std::move(hash);
  head->at = at;
}

std::vector<AuditAnchor> ListAuditAnchors(Connection& db) {
  std::vector<AuditAnchor> out;
  {
    // A database from before schema v10 (a backup being checked, `audit verify` on a file
    // not yet migrated) has no anchors yet.
    auto q = db.Query(db.dialect() == Dialect::kPostgres
                          ? "SELECT 1 WHERE to_regclass('audit_anchors') IS NOT NULL"
                          : "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = "
                            "'audit_anchors'");
    if (q->Next() != Step::kRow) return out;
  }
  auto q = db.Query("SELECT day, seq, head_hash FROM audit_anchors ORDER BY day");
  while (q->Next() == Step::kRow) out.push_back({q->Str(0), q->Int(1), std::string(q->Blob(2))});
  return out;
}

std::optional<AuditAnchor> AuditAnchorOf(Connection& db, std::string_view day) {
  const auto start = core::ParseRfc3339(std::string(day) + "T00:00:00Z");
  if (day.size() != 10 || !start || DayText(*start) != day) return std::nullopt;
  for (AuditAnchor& stored : ListAuditAnchors(db))
    if (stored.day == day) return std::move(stored);
  auto q = db.Query("SELECT seq, hash FROM audit WHERE at < ? ORDER BY seq DESC LIMIT 1");
  q->Bind(1, *start + kDay);
  if (q->Next() != Step::kRow) return std::nullopt;
  return AuditAnchor{std::string(day), q->Int(0), std::string(q->Blob(1))};
}

std::optional<AuditAnchor> AuditHead(Connection& db) {
  auto q = db.Query("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1");
  if (q->Next() != Step::kRow) return std::nullopt;
  return AuditAnchor{DayText(q->Int(2)), q->Int(0), std::string(q->Blob(1))};
}

AuditVerdict VerifyAudit(Connection& db, const std::vector<AuditAnchor>& given) {
  std::vector<AuditAnchor> anchors = ListAuditAnchors(db);
  anchors.insert(anchors.end(), given.begin(), given.end());
  std::stable_sort(anchors.begin(), anchors.end(),
                   [](const AuditAnchor& a, const AuditAnchor& b) { return a.seq < b.seq; });
  std::size_t next_anchor = 0;
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
    if (auto reason = CheckAnchors(anchors, next_anchor, seq, hash); !reason.empty()) {
      v.broken_seq = seq;
      v.reason = std::move(reason);
      return v;
    }
    prev = hash;
    ++expected_seq;
    ++v.records;
  }
  if (next_anchor < anchors.size()) {
    const AuditAnchor& a = anchors[next_anchor];
    v.broken_seq = expected_seq;
    v.reason = "the chain ends at record " + std::to_string(expected_seq - 1) + ", before record " +
               std::to_string(a.seq) + " anchored for " + a.day + ": records were deleted";
  }
  return v;
}

}  // namespace swabline::store
