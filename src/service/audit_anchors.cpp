#include "service/audit_anchors.hpp"

#include "store/audit.hpp"
#include "store/vault.hpp"

namespace swabline::service {
namespace {

AuditAnchor Of(const store::AuditAnchor& a) { return {a.day, a.seq, store::ToHex(a.head_hash)}; }

}  // namespace

core::Result<AuditAnchors> GetAuditAnchors(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kReadAudit));
  AuditAnchors out;
  for (const auto& a : store::ListAuditAnchors(db)) out.anchors.push_back(Of(a));
  if (auto head = store::AuditHead(db)) out.head = Of(*head);
  return out;
}

}  // namespace swabline::service
