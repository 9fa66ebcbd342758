#include "core/round.hpp"

namespace swabline::core {

std::string_view RoundStatusName(RoundStatus s) {
  return s == RoundStatus::kActive ? "active" : "closed";
}

std::optional<RoundStatus> ParseRoundStatus(std::string_view s) {
  if (s == "active") return RoundStatus::kActive;
  if (s == "closed") return RoundStatus::kClosed;
  return std::nullopt;
}

}  // namespace swabline::core
