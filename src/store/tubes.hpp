#pragma once
/// Rows of tubes and the samples in them. The invariants in docs/architecture.md live here as
/// constraints (see migrations.cpp) and guarded updates: a caller cannot overfill a tube.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct TubeRow {
  std::string barcode;
  std::int64_t round_id = 0;
  std::int64_t site_id = 0;
  int capacity = 10;
  int count = 0;
  core::TubeStatus status = core::TubeStatus::kOpen;
  bool auto_sealed = false;
  std::optional<core::TubeResult> result;
  core::TubePurpose purpose = core::TubePurpose::kScreening;
  std::optional<std::int64_t> incident_id;
  std::optional<std::string> box_barcode;
  std::string opened_by;
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> first_sample_at;
  std::optional<std::int64_t> sealed_at;
  std::optional<std::int64_t> boxed_at;
  std::optional<std::int64_t> dispatched_at;
  std::optional<std::int64_t> received_at;
  std::optional<std::int64_t> resulted_at;
  std::string site_id_path;  // of the site's place, for scope checks
};

/// Returns false when the barcode was ever used.
[[nodiscard]] bool InsertTube(Tx& tx, const TubeRow& row);
std::optional<TubeRow> FindTube(Connection& db, std::string_view barcode);

/// Takes one slot in an open tube that has room; false when the tube was not open or was full
/// (checked again here so that a race cannot overfill it). The count after is the count read
/// in this transaction plus one: the writer is the only one changing it.
[[nodiscard]] bool TakeTubeSlot(Tx& tx, std::string_view barcode, std::int64_t now);
/// Gives a slot back (a voided sample); reopens a tube that had sealed itself when full.
void ReturnTubeSlot(Tx& tx, std::string_view barcode);
void SealTubeRow(Tx& tx, std::string_view barcode, bool automatic, std::int64_t now);

struct SampleRow {
  std::int64_t id = 0;
  std::string tube_barcode;
  std::int64_t round_id = 0;
  std::int64_t resident_id = 0;
  bool screening = true;
  std::optional<std::string> repeat_reason;
  std::int64_t sampled_at = 0;
  std::string sampled_by;
  std::optional<std::int64_t> voided_at;
  std::optional<std::string> void_reason;
};

/// Inserts a sample and counts it in the coverage tallies (the only code path that inserts
/// samples: keep it so). nullopt when a uniqueness constraint refuses it (same person twice in
/// the tube, or twice in the round without an allowed repeat).
[[nodiscard]] std::optional<std::int64_t> InsertSample(Tx& tx, const SampleRow& row);
std::optional<SampleRow> FindSample(Connection& db, std::int64_t id);
/// Valid (not voided) samples in a tube, oldest first.
std::vector<SampleRow> ValidSamplesInTube(Connection& db, std::string_view barcode);

/// What a scan must know of a person's valid samples in a round, found in one query (a scan
/// is the busiest write, and each statement costs): whether one is in `barcode` already, and
/// their first valid screening sample in the round.
struct EarlierSamples {
  bool in_tube = false;
  std::optional<SampleRow> screening;
};
EarlierSamples FindEarlierSamples(Connection& db, std::string_view barcode, std::int64_t round_id,
                                  std::int64_t resident_id);
void VoidSampleRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now);
/// True when the person is a member of the incident.
bool IsIncidentMember(Connection& db, std::int64_t incident_id, std::int64_t resident_id);
bool IncidentExists(Connection& db, std::int64_t incident_id);

}  // namespace swabline::store
