#pragma once
/// Residents' reports (POST /reports): see ReportAntigenPositive in service/incidents.hpp.

#include <cstdint>
#include <string>

#include "service/incidents.hpp"

namespace swabline::service {

/// The actor a resident's own report is recorded by (timeline, audit).
inline constexpr const char* kResidentReporter = "resident";

struct OwnReport {
  Incident incident;
  bool opened = false;  // false: the person's open report, answered again
};

/// A resident's own antigen-positive report, sent with their personal code (no user):
/// ReportAntigenPositive for `resident_id`, or their antigen_report still open.
/// kInvalidField (kind), kInvalidPersonalCode (nobody registered).
core::Result<OwnReport> ReportOwnAntigenPositive(store::Tx& tx, const Env& env,
                                                 std::int64_t resident_id, const std::string& kind);

}  // namespace swabline::service
