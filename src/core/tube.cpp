#include "core/tube.hpp"

#include <array>
#include <string>

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 6> kStatusNames = {"open",       "sealed",   "in_box",
                                                          "in_transit", "received", "resulted"};
constexpr std::array<std::string_view, 3> kResultNames = {"negative", "positive", "invalid"};
constexpr std::array<std::string_view, 2> kPurposeNames = {"screening", "retest"};

template <typename E, std::size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view TubeStatusName(TubeStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<TubeStatus> ParseTubeStatus(std::string_view s) {
  return ParseName<TubeStatus>(kStatusNames, s);
}
std::string_view TubeResultName(TubeResult r) { return kResultNames[static_cast<std::size_t>(r)]; }
std::optional<TubeResult> ParseTubeResult(std::string_view s) {
  return ParseName<TubeResult>(kResultNames, s);
}
std::string_view TubePurposeName(TubePurpose p) {
  return kPurposeNames[static_cast<std::size_t>(p)];
}
std::optional<TubePurpose> ParseTubePurpose(std::string_view s) {
  return ParseName<TubePurpose>(kPurposeNames, s);
}

Status CheckBarcode(std::string_view b) {
  if (b.size() < 6 || b.size() > 32)
    return Fail(ErrorCode::kInvalidBarcode,
                "a barcode has 6 to 32 characters; this one has " + std::to_string(b.size()));
  for (char c : b) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok)
      return Fail(ErrorCode::kInvalidBarcode,
                  "a barcode holds only letters, digits and '-'; check the scanner");
  }
  return Ok{};
}

Status CheckPoolSize(int n) {
  if (n == 1 || n == 5 || n == 10 || n == 20) return Ok{};
  return Fail(ErrorCode::kInvalidPoolSize,
              "pool_size must be 1, 5, 10 or 20, not " + std::to_string(n));
}

Status CheckTubeCapacity(int n) {
  if (n >= 1 && n <= kMaxTubeCapacity) return Ok{};
  return Fail(ErrorCode::kInvalidField,
              "capacity must be 1 to 20 (labs may not re-pool), not " + std::to_string(n))
      .With("field", "capacity");
}

Status CheckTubeTakesSample(const TubeFill& t) {
  if (t.count >= t.capacity)
    return Fail(ErrorCode::kTubeFull, "the tube is full (" + std::to_string(t.count) + "/" +
                                          std::to_string(t.capacity) + "): open a new tube");
  if (t.status != TubeStatus::kOpen)
    return Fail(ErrorCode::kTubeSealed,
                "the tube is " + std::string(TubeStatusName(t.status)) + ": open a new tube");
  return Ok{};
}

Status CheckVoidAllowed(TubeStatus s) {
  if (s == TubeStatus::kOpen || s == TubeStatus::kSealed) return Ok{};
  return Fail(ErrorCode::kTubeBoxed, "the tube is already " + std::string(TubeStatusName(s)) +
                                         "; samples can no longer be voided");
}

Status CheckSealAllowed(const TubeFill& t) {
  if (t.status == TubeStatus::kOpen && t.count == 0)
    return Fail(ErrorCode::kTubeEmpty, "an empty tube cannot be sealed");
  return Ok{};
}

Result<ResultChange> DecideResult(TubeStatus status, std::optional<TubeResult> current,
                                  TubeResult incoming, bool has_correction_reason) {
  if (status == TubeStatus::kOpen)
    return Fail(ErrorCode::kTubeNotSealed, "the tube is still open at its sampling point");
  if (!current) return ResultChange::kRecord;
  if (*current == incoming) return ResultChange::kUnchanged;
  if (!has_correction_reason)
    return Fail(ErrorCode::kConflictingResult, "the tube already has the result " +
                                                   std::string(TubeResultName(*current)) +
                                                   "; send correction_reason to correct it");
  return ResultChange::kCorrect;
}

}  // namespace swabline::core
