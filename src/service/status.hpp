#pragma once
/// A person's status colour and state (docs/architecture.md, the core loop, step 6), for staff and,
/// by personal code, for anyone holding the code.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  /// The ids along the person's home, the district first (to find the sites near them).
  std::vector<std::int64_t> home_place_ids;
};

/// One of a person's own samples (the resident's results history).
struct OwnSample {
  std::int64_t id = 0;
  std::int64_t round_id = 0;
  std::string round_name;
  std::string tube;
  core::Micros sampled_at = 0;
  std::optional<core::TubeResult> result;
  bool pooled = false;
  core::TubePurpose purpose = core::TubePurpose::kScreening;
};

struct OwnSamplesPage {
  std::vector<OwnSample> samples;
  std::optional<std::int64_t> next_cursor;
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
/// The samples of the person whose personal code this is, newest first, a page of `limit`
/// after the sample id `cursor` (0: the first page); voided samples are left out.
/// kInvalidPersonalCode.
core::Result<OwnSamplesPage> GetHistoryByCode(store::Connection& db, const Env& env,
                                              std::string_view code, std::int64_t cursor,
                                              int limit);

}  // namespace swabline::service
