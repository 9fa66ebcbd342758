#pragma once
/// Lab results as uploaded (docs/architecture.md, the core loop, step 5): one row names a tube, a
/// result and perhaps Ct values and a correction reason. What a row does to its tube is decided
/// here.

#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "core/tube.hpp"

namespace swabline::core {

/// The most rows one upload may carry; a bigger file is split by the sender.
inline constexpr std::size_t kMaxResultRows = 100'000;

struct ResultDecision {
  ResultChange change = ResultChange::kRecord;
  TubeResult result = TubeResult::kNegative;
};

/// One row's outcome, checks in the API's order (docs/api.md): kTubeNotSealed (the tube is open),
/// kInvalidResult (`incoming` is not negative, positive or invalid), kConflictingResult (a
/// different result stands and no correction reason came with the row).
Result<ResultDecision> DecideUploadedResult(TubeStatus status, std::optional<TubeResult> current,
                                            std::string_view incoming, bool has_correction_reason);

/// A Ct (cycle threshold) value as an instrument writes it, e.g. "31.27": a plain decimal
/// number from 0 to 100. nullopt otherwise.
std::optional<double> ParseCtValue(std::string_view text);
/// Whether a number read elsewhere (a JSON body) is a plausible Ct value: 0 to 100.
bool IsCtValue(double value);

}  // namespace swabline::core
