#pragma once
/// The audit chain's anchors (docs/security.md, Malicious lab staff): the chain's head at the
/// end of each UTC day, for publication outside the database. `swabline audit anchor` prints
/// one, `swabline audit verify --anchor` checks the chain still passes through it, and
/// GET /api/v1/audit/anchors lists them (docs/openapi.yaml).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct AuditAnchor {
  std::string date;       // YYYY-MM-DD, UTC
  std::int64_t seq = 0;   // the day's last audit record
  std::string head_hash;  // its SHA-256, 64 hex digits
};

struct AuditAnchors {
  std::vector<AuditAnchor> anchors;  // one per day that has ended, oldest first
  std::optional<AuditAnchor> head;   // the newest record now; nullopt before the first
};

/// Every stored anchor and the chain's head. kForbidden without read_audit.
core::Result<AuditAnchors> GetAuditAnchors(store::Connection& db, const Actor& actor);

}  // namespace swabline::service
