#pragma once
/// The audit log: every change writes a record in the same transaction, and each record's
/// hash covers the previous record's hash, so an edited or deleted record breaks the chain.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct AuditEntry {
  std::string actor;      // username, or "system"
  std::string action;     // "resident.create", "user.add", "resident.reveal", …
  std::string entity;     // "resident", "user", "place", …
  std::string entity_id;  // the entity's id as text
  std::string detail;     // short free text, never a clear ID number
};

/// Appends one record chained to the newest one. The first record of a UTC day also stores
/// the anchor of the day of the record before it (ListAuditAnchors). REQUIRES: inside the
/// write transaction.
void AppendAudit(Tx& tx, std::int64_t at, const AuditEntry& entry);

/// The chain's head at the end of a day. Published outside the database (docs/security.md,
/// Malicious lab staff), it shows later whether the chain still passes through that record:
/// a chain rewritten and recomputed since cannot.
struct AuditAnchor {
  std::string day;        // YYYY-MM-DD, UTC
  std::int64_t seq = 0;   // the day's last record
  std::string head_hash;  // that record's hash, raw bytes
};

/// The anchors stored so far, one per UTC day that had records and was followed by another
/// record, oldest first.
std::vector<AuditAnchor> ListAuditAnchors(Connection& db);
/// The anchor of `day` (YYYY-MM-DD): the stored one, else the last record written before the
/// day ended. nullopt when no record was written by then, or `day` is not a date.
std::optional<AuditAnchor> AuditAnchorOf(Connection& db, std::string_view day);
/// The chain's newest record as an anchor for the day it was written (on demand).
std::optional<AuditAnchor> AuditHead(Connection& db);

struct AuditVerdict {
  std::int64_t records = 0;
  std::optional<std::int64_t> broken_seq;  // first record whose link or hash fails
  std::string reason;
};

/// Walks the whole chain in order, and checks that it passes through each of `anchors` and
/// each anchor stored in the database: the anchor's record exists and has its hash.
AuditVerdict VerifyAudit(Connection& db, const std::vector<AuditAnchor>& anchors = {});

}  // namespace swabline::store
