#pragma once
/// Tube and round rules (docs/architecture.md, the core loop): barcodes, pool sizes, when a tube
/// takes a sample, seals itself, may be voided from, boxed, and how a lab result lands on it.

#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace swabline::core {

enum class TubeStatus { kOpen, kSealed, kInBox, kInTransit, kReceived, kResulted };
enum class TubeResult { kNegative, kPositive, kInvalid };
enum class TubePurpose { kScreening, kRetest };

std::string_view TubeStatusName(TubeStatus s);
std::optional<TubeStatus> ParseTubeStatus(std::string_view s);
std::string_view TubeResultName(TubeResult r);
std::optional<TubeResult> ParseTubeResult(std::string_view s);
std::string_view TubePurposeName(TubePurpose p);
std::optional<TubePurpose> ParseTubePurpose(std::string_view s);

/// A pool never holds more than this: labs may not re-pool beyond 20-in-1.
inline constexpr int kMaxTubeCapacity = 20;

/// 6 to 32 characters of A-Z a-z 0-9 and '-' (docs/openapi.yaml); kInvalidBarcode otherwise.
Status CheckBarcode(std::string_view barcode);
/// Pool sizes a round may have: 1, 5, 10 or 20; kInvalidPoolSize otherwise.
Status CheckPoolSize(int pool_size);
/// A tube's own capacity: 1 to 20; kInvalidField otherwise.
Status CheckTubeCapacity(int capacity);

struct TubeFill {
  TubeStatus status = TubeStatus::kOpen;
  int count = 0;
  int capacity = 10;
};

/// Whether one more sample may go in, in the API's order (docs/api.md): kTubeFull (at capacity,
/// however it came to be sealed), then kTubeSealed (sealed early, or gone further down the line).
Status CheckTubeTakesSample(const TubeFill& tube);
/// A tube seals itself when it reaches its capacity.
inline bool SealsItself(int count_after, int capacity) { return count_after >= capacity; }
/// Voids are allowed until the tube is boxed (kTubeBoxed after).
Status CheckVoidAllowed(TubeStatus status);
/// Sealing: an empty tube cannot be sealed (kTubeEmpty); sealing a sealed tube is a no-op.
Status CheckSealAllowed(const TubeFill& tube);

/// What uploading `incoming` does to a tube that holds `current`.
enum class ResultChange { kRecord, kUnchanged, kCorrect };
/// kTubeNotSealed for an open tube; kConflictingResult for a different result without a
/// correction reason.
Result<ResultChange> DecideResult(TubeStatus status, std::optional<TubeResult> current,
                                  TubeResult incoming, bool has_correction_reason);

}  // namespace swabline::core
