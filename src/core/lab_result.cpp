#include "core/lab_result.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace swabline::core {

Result<ResultDecision> DecideUploadedResult(TubeStatus status, std::optional<TubeResult> current,
                                            std::string_view incoming, bool has_correction_reason) {
  if (status == TubeStatus::kOpen)
    return Fail(ErrorCode::kTubeNotSealed, "the tube is still open at its sampling point");
  auto result = ParseTubeResult(incoming);
  if (!result)
    return Fail(ErrorCode::kInvalidResult,
                "the result must be negative, positive or invalid, not '" +
                    std::string(incoming.substr(0, 40)) + "'");
  ResultChange change;
  SWB_TRY_ASSIGN(change, DecideResult(status, current, *result, has_correction_reason));
  return ResultDecision{change, *result};
}

bool IsCtValue(double value) { return std::isfinite(value) && value >= 0 && value <= 100; }

std::optional<double> ParseCtValue(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
  if (text.empty() || ec != std::errc() || p != end || !IsCtValue(value)) return std::nullopt;
  return value;
}

}  // namespace swabline::core
