#pragma once
/// Residents' reports (API.md, POST /reports): an antigen-positive self-test opens an incident
/// with the person as its member, so a single-tube retest can be taken for them. Zones and the
/// rest of the follow-up belong to the outbreak issue.

#include <string>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/incidents.hpp"
#include "store/sqlite.hpp"

namespace swabline::service {

/// kInvalidField (kind other than antigen_positive), person look-up errors, kUnknownPerson,
/// kForbidden.
core::Result<store::IncidentRow> ReportAntigenPositive(store::Tx& tx, const Env& env,
                                                       const Actor& actor,
                                                       const std::string& person,
                                                       const std::string& kind);

}  // namespace swabline::service
