#include "core/live_event.hpp"

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, kLiveEventKinds> kNames = {
    "samples",         "tubes_sealed",   "results",       "incident_opened",
    "incident_closed", "zone_started",   "zone_lifted",   "task_overdue",
    "task_done",       "request_opened", "request_closed"};

}  // namespace

std::string_view LiveEventName(LiveEventKind kind) {
  return kNames[static_cast<std::size_t>(kind)];
}

bool LiveEventAddsUp(LiveEventKind kind) {
  return kind == LiveEventKind::kSamples || kind == LiveEventKind::kTubesSealed ||
         kind == LiveEventKind::kResults;
}

PlaceIds PlaceIdsOf(std::string_view id_path) {
  PlaceIds out{};
  std::size_t depth = 0;
  std::int64_t value = 0;
  bool digits = false;
  for (char c : id_path) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      digits = true;
    } else if (digits) {
      if (depth == kMaxPlaceDepth) break;
      out[depth++] = value;
      value = 0;
      digits = false;
    }
  }
  if (digits && depth < kMaxPlaceDepth) out[depth] = value;
  return out;
}

std::int64_t LiveEvent::PlaceId() const {
  std::int64_t id = 0;
  for (std::int64_t p : place)
    if (p != 0) id = p;
  return id;
}

std::optional<std::int64_t> LiveEvent::CommunityId() const {
  if (place[2] == 0) return std::nullopt;
  return place[2];
}

bool LiveEvent::VisibleTo(std::optional<std::int64_t> scope_place_id) const {
  if (!scope_place_id) return true;
  for (std::int64_t p : place)
    if (p == *scope_place_id) return true;
  return false;
}

}  // namespace swabline::core
