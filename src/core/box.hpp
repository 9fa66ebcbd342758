#pragma once
/// Transport rules (docs/architecture.md, the core loop, step 4): which tubes a box takes, when it
/// may be dispatched, and what a lab receipt does to a tube found in it.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "core/tube.hpp"

namespace swabline::core {

enum class BoxStatus { kOpen, kInTransit, kReceived };

std::string_view BoxStatusName(BoxStatus s);
std::optional<BoxStatus> ParseBoxStatus(std::string_view s);

/// A tube goes into a box once sealed, and into one box only: kTubeNotSealed for an open
/// tube; kTubeInBox for a tube in a box already, or gone past boxing in any other way (a
/// result uploaded before it was boxed).
Status CheckTubeBoxable(TubeStatus status, bool in_a_box);

/// Only an open box takes tubes: kBoxNotOpen once it is dispatched or received.
Status CheckBoxTakesTubes(BoxStatus status);

enum class DispatchChange { kDispatch, kUnchanged };
/// An open box with tubes is dispatched; an empty one is refused (kBoxEmpty); dispatching a
/// box in transit is a no-op; a received box cannot leave again (kBoxNotOpen).
Result<DispatchChange> DecideDispatch(BoxStatus status, std::size_t tube_count);

/// Whether a lab receipt moves a tube found in its box to `received`: a tube in a box or in
/// transit does; a tube that already has its result stays `resulted`.
bool ReceiptMovesTube(TubeStatus status);

}  // namespace swabline::core
