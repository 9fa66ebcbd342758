#pragma once
/// A person's status colour and state (docs/architecture.md, the core loop, step 6), for staff and,
/// by personal code, for anyone holding the code.

#include <optional>
#include <string>
#include <string_view>

#include "core/person_status.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "service/sampling.hpp"

namespace swabline::service {

struct LatestSample {
  std::int64_t round_id = 0;
  std::string tube;
  core::Micros sampled_at = 0;
  std::optional<core::TubeResult> result;
};

struct PersonStatusView {
  PersonBrief person;
  core::PersonStatus status;
  std::optional<std::int64_t> latest_round_id;
  std::optional<LatestSample> latest;
};

/// Staff look-up by ID number, personal code or resident id. kInvalidIdNumber,
/// kInvalidPersonalCode, kUnknownPerson, kForbidden.
core::Result<PersonStatusView> GetPersonStatus(store::Connection& db, const Env& env,
                                               const Actor& actor, std::string_view person);
/// The status of a resident already found (with their home's id_path): one read of the facts
/// (store::StatusFactsOf), and the zone policy only for someone in a zone.
PersonStatusView StatusOf(store::Connection& db, const store::ResidentRow& r);
/// Public look-up by personal code alone (no login). kInvalidPersonalCode.
core::Result<PersonStatusView> GetStatusByCode(store::Connection& db, const Env& env,
                                               std::string_view code);

}  // namespace swabline::service
