#include "core/time_zone.hpp"

#include <array>
#include <utility>

namespace swabline::core {
namespace {

// Zones that have kept one offset all year since at least 1992 (no daylight saving time).
constexpr std::array<std::pair<std::string_view, int>, 14> kZones = {{
    {"Asia/Shanghai", 480},
    {"Asia/Chongqing", 480},
    {"Asia/Harbin", 480},
    {"Asia/Urumqi", 360},
    {"Asia/Hong_Kong", 480},
    {"Asia/Macau", 480},
    {"Asia/Taipei", 480},
    {"Asia/Singapore", 480},
    {"Asia/Kuala_Lumpur", 480},
    {"Asia/Tokyo", 540},
    {"Asia/Seoul", 540},
    {"Asia/Kolkata", 330},
    {"UTC", 0},
    {"Etc/UTC", 0},
}};

}  // namespace

std::optional<int> UtcOffsetMinutes(std::string_view zone) {
  for (const auto& [name, offset] : kZones)
    if (name == zone) return offset;
  return std::nullopt;
}

std::string SupportedTimeZones() {
  std::string out;
  for (const auto& [name, offset] : kZones) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace swabline::core
