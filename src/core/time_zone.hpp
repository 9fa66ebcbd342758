#pragma once
/// The deployment's local time (`serve --tz`), for sites' opening hours. The standard library
/// this project builds with (libstdc++ 12) has no time-zone database (std::chrono::locate_zone
/// arrives in 14), so the zones supported are a fixed table of those without daylight saving
/// time, for which a fixed offset from UTC is exact.

#include <optional>
#include <string>
#include <string_view>

namespace swabline::core {

inline constexpr std::string_view kDefaultTimeZone = "Asia/Shanghai";

/// Minutes east of UTC of a supported zone (`Asia/Shanghai` → 480); nullopt for another name.
std::optional<int> UtcOffsetMinutes(std::string_view zone);

/// The supported zones' names, comma-separated, for an error message.
std::string SupportedTimeZones();

}  // namespace swabline::core
