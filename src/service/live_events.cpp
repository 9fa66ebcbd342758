#include "service/live_events.hpp"

#include <array>
#include <string>

#include "store/incidents.hpp"
#include "store/places.hpp"

namespace swabline::service {
namespace {

constexpr std::array<std::string_view, 4> kIncidentKinds = {"pool_positive", "positive",
                                                            "antigen_report", "manual"};

std::string_view IncidentKindLabel(std::string_view kind) {
  for (std::string_view k : kIncidentKinds)
    if (k == kind) return k;
  return {};
}

/// The longest run of whole "/id" segments that every path starts with.
std::string_view CommonIdPath(const std::vector<std::string>& paths) {
  if (paths.empty()) return "/";
  std::string_view common = paths.front();
  for (const std::string& p : paths) {
    std::size_t n = 0;
    while (n < common.size() && n < p.size() && common[n] == p[n]) ++n;
    common = common.substr(0, n);
  }
  // Cut back to the last whole segment ("/1/52" of "/1/52/" and "/1/5/" is "/1/").
  const std::size_t slash = common.rfind('/');
  return slash == std::string_view::npos ? std::string_view("/") : common.substr(0, slash + 1);
}

}  // namespace

void PublishAt(store::Tx& tx, core::LiveEventKind kind, std::string_view id_path,
               std::int64_t subject, core::Micros at, std::string_view label) {
  core::LiveEvent e;
  e.kind = kind;
  e.place = core::PlaceIdsOf(id_path);
  e.subject = subject;
  e.label = label;
  e.at = at;
  tx.Publish(e);
}

void PublishAtPlace(store::Tx& tx, core::LiveEventKind kind, std::int64_t place_id,
                    std::int64_t subject, core::Micros at, std::string_view label) {
  const auto place = store::FindPlace(tx.db(), place_id);
  PublishAt(tx, kind, place ? std::string_view(place->id_path) : std::string_view("/"), subject, at,
            label);
}

void PublishIncident(store::Tx& tx, core::LiveEventKind kind, std::int64_t incident_id,
                     core::Micros at) {
  const auto row = store::FindIncident(tx.db(), incident_id);
  const std::vector<std::string> paths = store::IncidentIdPaths(tx.db(), incident_id);
  PublishAt(tx, kind, CommonIdPath(paths), incident_id, at,
            row ? IncidentKindLabel(row->kind) : std::string_view());
}

}  // namespace swabline::service
