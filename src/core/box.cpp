#include "core/box.hpp"

#include <array>
#include <string>

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 3> kBoxStatusNames = {"open", "in_transit", "received"};

}  // namespace

std::string_view BoxStatusName(BoxStatus s) { return kBoxStatusNames[static_cast<std::size_t>(s)]; }

std::optional<BoxStatus> ParseBoxStatus(std::string_view s) {
  for (std::size_t i = 0; i < kBoxStatusNames.size(); ++i)
    if (kBoxStatusNames[i] == s) return static_cast<BoxStatus>(i);
  return std::nullopt;
}

Status CheckTubeBoxable(TubeStatus status, bool in_a_box) {
  if (status == TubeStatus::kOpen)
    return Fail(ErrorCode::kTubeNotSealed,
                "the tube is still open at its sampling point: seal it first");
  if (in_a_box) return Fail(ErrorCode::kTubeInBox, "the tube is already in a box");
  if (status != TubeStatus::kSealed)
    return Fail(
        ErrorCode::kTubeInBox,
        "the tube is already " + std::string(TubeStatusName(status)) + "; it cannot be boxed");
  return Ok{};
}

Status CheckBoxTakesTubes(BoxStatus status) {
  if (status == BoxStatus::kOpen) return Ok{};
  return Fail(ErrorCode::kBoxNotOpen,
              "the box is " + std::string(BoxStatusName(status)) + "; put the tube in an open box");
}

Result<DispatchChange> DecideDispatch(BoxStatus status, std::size_t tube_count) {
  switch (status) {
    case BoxStatus::kInTransit: return DispatchChange::kUnchanged;
    case BoxStatus::kReceived:
      return Fail(ErrorCode::kBoxNotOpen, "the box was already received at the lab");
    case BoxStatus::kOpen: break;
  }
  if (tube_count == 0)
    return Fail(ErrorCode::kBoxEmpty, "an empty box cannot be dispatched: put tubes in it first");
  return DispatchChange::kDispatch;
}

bool ReceiptMovesTube(TubeStatus status) {
  return status == TubeStatus::kInBox || status == TubeStatus::kInTransit;
}

}  // namespace swabline::core
