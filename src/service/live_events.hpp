#pragma once
/// What each use case tells the live dashboard (docs/api.md, "Live dashboard"): one call per
/// kind of change, each recording a core::LiveEvent on the transaction (store::Tx::Publish),
/// which the writer publishes once the change has committed.

#include <cstdint>
#include <string_view>

#include "core/live_event.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// An event at the place with this id_path. `label` must have static storage.
void PublishAt(store::Tx& tx, core::LiveEventKind kind, std::string_view id_path,
               std::int64_t subject, core::Micros at, std::string_view label = {});
/// As PublishAt, reading the place's id_path (a place that does not exist gives no scope
/// but the whole tree's).
void PublishAtPlace(store::Tx& tx, core::LiveEventKind kind, std::int64_t place_id,
                    std::int64_t subject, core::Micros at, std::string_view label = {});
/// An incident opened or closed, at the deepest place over all its places and its people's
/// homes: a user sees it only when the whole incident lies in their places.
void PublishIncident(store::Tx& tx, core::LiveEventKind kind, std::int64_t incident_id,
                     core::Micros at);

/// The name with static storage equal to `name` among the names `name_of` gives for the enum
/// values 0..count-1, or "" (labels must outlive the event).
template <typename Enum, typename NameOf>
std::string_view StaticName(std::string_view name, int count, NameOf name_of) {
  for (int i = 0; i < count; ++i) {
    const std::string_view n = name_of(static_cast<Enum>(i));
    if (n == name) return n;
  }
  return {};
}

}  // namespace swabline::service
