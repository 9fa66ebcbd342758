#pragma once
/// The audit log: every change writes a record in the same transaction, and each record's
/// hash covers the previous record's hash, so an edited or deleted record breaks the chain.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace swabline::store {

struct AuditEntry {
  std::string actor;      // username, or "system"
  std::string action;     // "resident.create", "user.add", "resident.reveal", …
  std::string entity;     // "resident", "user", "place", …
  std::string entity_id;  // the entity's id as text
  std::string detail;     // short free text, never a clear ID number
};

/// Appends one record chained to the newest one. REQUIRES: inside the write transaction.
void AppendAudit(Tx& tx, std::int64_t at, const AuditEntry& entry);

struct AuditVerdict {
  std::int64_t records = 0;
  std::optional<std::int64_t> broken_seq;  // first record whose link or hash fails
  std::string reason;
};

/// Walks the whole chain in order.
AuditVerdict VerifyAudit(Connection& db);

}  // namespace swabline::store
