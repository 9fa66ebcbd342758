#pragma once
/// Residents' reports (API.md, POST /reports): an antigen-positive self-test opens an incident
/// with the person as its member, so a single-tube retest can be taken for them. Zones and the
/// rest of the follow-up belong to the outbreak issue.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/sqlite.hpp"

namespace swabline::service {

struct Incident {
  std::int64_t id = 0;
  std::string kind;
  std::string status;
  std::optional<std::string> tube;
  core::Micros opened_at = 0;
  std::optional<core::Micros> closed_at;
  std::vector<std::int64_t> people;
};

/// kInvalidField (kind other than antigen_positive), person look-up errors, kUnknownPerson,
/// kForbidden.
core::Result<Incident> ReportAntigenPositive(store::Tx& tx, const Env& env, const Actor& actor,
                                             const std::string& person, const std::string& kind);

}  // namespace swabline::service
