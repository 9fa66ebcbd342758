#pragma once
/// Sampling at a point (docs/architecture.md, the core loop, step 3): open a tube, scan people into
/// it, seal, void. Each function is one use case run in the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/tube.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"
#include "store/residents.hpp"

namespace swabline::service {

struct PersonBrief {
  std::int64_t id = 0;
  std::string name;
  std::string id_number_masked;
};

struct TubeSample {
  std::int64_t id = 0;
  PersonBrief person;
  core::Micros sampled_at = 0;
};

/// A tube as the API shows it.
struct Tube {
  std::string barcode;
  std::int64_t round_id = 0;
  std::int64_t site_id = 0;
  int capacity = 10;
  int count = 0;
  core::TubeStatus status = core::TubeStatus::kOpen;
  std::optional<core::TubeResult> result;
  core::TubePurpose purpose = core::TubePurpose::kScreening;
  std::optional<std::int64_t> incident_id;
  std::optional<std::string> box;
  core::Micros opened_at = 0;
  std::optional<core::Micros> first_sample_at;
  std::optional<core::Micros> sealed_at;
  std::optional<core::Micros> boxed_at;
  std::optional<core::Micros> dispatched_at;
  std::optional<core::Micros> received_at;
  std::optional<core::Micros> resulted_at;
};

struct TubeView {
  Tube tube;
  std::vector<TubeSample> samples;  // filled by GetTube only
  bool with_samples = false;
};

struct OpenTubeInput {
  std::string barcode;
  std::int64_t round_id = 0;
  std::int64_t site_id = 0;
  std::optional<int> capacity;
  std::optional<std::string> purpose;
  std::optional<std::int64_t> incident_id;
};

/// Checks in the API's order (docs/api.md): kInvalidBarcode, kBarcodeInUse, kUnknownRound,
/// kRoundClosed, kUnknownSite; scope; with env.strict_tubes the batch (kBarcodeNotIssued,
/// kBarcodeOtherSite, kTubeExpired; its pool size is the default capacity); then capacity
/// (kInvalidField), purpose, incident (kUnknownIncident, kIncidentClosed). The site's stock is
/// checked after (CheckSiteStock).
core::Result<TubeView> OpenTube(store::Tx& tx, const Env& env, const Actor& actor,
                                const OpenTubeInput& in);

struct AddSampleInput {
  std::string person;
  std::optional<std::string> name;  // registers an unknown valid ID number as a walk-in
  bool allow_repeat = false;
  std::optional<std::string> reason;
};

struct AddedSample {
  std::int64_t id = 0;
  PersonBrief person;
  core::Micros sampled_at = 0;
  TubeView tube;
};

/// Checks in the API's order (docs/api.md): kUnknownTube; kInvalidIdNumber or kInvalidPersonalCode;
/// kUnknownPerson; kTubeFull; kTubeSealed; kDuplicateInTube; kAlreadySampled (with the
/// earlier tube and time); kNotInIncident. The tube seals itself when it reaches capacity.
core::Result<AddedSample> AddSample(store::Tx& tx, const Env& env, const Actor& actor,
                                    const std::string& barcode, const AddSampleInput& in);

/// Seals a tube early; sealing a sealed tube is a no-op. kUnknownTube, kTubeEmpty.
core::Result<TubeView> SealTube(store::Tx& tx, const Env& env, const Actor& actor,
                                const std::string& barcode);

struct VoidedSample {
  std::int64_t id = 0;
  std::string reason;
  core::Micros voided_at = 0;
  TubeView tube;
};

/// Voids a wrong scan until its tube is boxed; the count drops and a tube that sealed itself
/// when full opens again. kUnknownSample, kReasonRequired, kTubeBoxed.
core::Result<VoidedSample> VoidSample(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t sample_id, const std::string& reason);

/// A tube with its valid samples. kUnknownTube, kForbidden.
core::Result<TubeView> GetTube(store::Connection& db, const Actor& actor,
                               const std::string& barcode);

PersonBrief BriefOf(const store::ResidentRow& r);

}  // namespace swabline::service
