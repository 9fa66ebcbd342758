#pragma once
/// A testing round's life: active while sampling goes on, closed after.

#include <optional>
#include <string_view>

namespace swabline::core {

enum class RoundStatus { kActive, kClosed };

std::string_view RoundStatusName(RoundStatus s);
std::optional<RoundStatus> ParseRoundStatus(std::string_view s);

}  // namespace swabline::core
