// The demo city's community operations: tube batches and stock for every site, and checkpoints
// at 小黄庄社区 with a few logged scans (demo_round.hpp).

#include <cstdio>

#include "cli/demo_round.hpp"
#include "cli/demo_support.hpp"
#include "service/checkpoints.hpp"
#include "service/tube_batches.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/rounds.hpp"
#include "store/tube_batches.hpp"

namespace swabline::cli {
namespace {

using demo::As;
using demo::kHour;
using demo::kMinute;
using demo::Must;

constexpr core::Micros kDay = 24 * kHour;

/// One batch of 500 barcodes per site, numbered as the round's tubes are (CY01-00001 …), and
/// its supplies; the outbreak community's site runs low on swabs.
int IssueBatches(store::Tx& tx, const service::Env& env, core::Micros now,
                 std::int64_t outbreak_site) {
  const service::Actor community = As("community", core::Role::kCommunity);
  const auto sites = store::ListSitesUnder(tx.db(), "/", 0, 1000);
  for (std::size_t i = 0; i < sites.size(); ++i) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "CY%02zu-", i + 1);
    service::NewTubeBatch batch;
    batch.site_id = sites[i].id;
    batch.range = core::BarcodeRange{prefix, 1, 500, 5};
    batch.expires_at = now + 180 * kDay;
    batch.pool_size = 10;
    Must(service::CreateTubeBatch(tx, env, community, batch), "tube batch");
    const std::int64_t samples = store::SiteUsageOf(tx.db(), sites[i].id).samples;
    service::StockInput stock{samples + 2000, 60, 50, 50, 300, 5};
    if (sites[i].id == outbreak_site) stock.swabs_delivered = samples + 240;
    Must(service::PutSiteStock(tx, env, community, sites[i].id, stock), "stock");
  }
  return static_cast<int>(sites.size());
}

}  // namespace

DemoGatesSummary SeedDemoGates(service::Runtime& rt, const DemoRoundSummary& round) {
  const core::Micros now = service::SystemClock().Now();
  demo::Clock clock(now - 2 * kHour);
  const service::Env env = rt.env_with(clock);
  return rt.writer().RunSync([&](store::Tx& tx) {
    DemoGatesSummary s;
    s.sites = IssueBatches(tx, env, now - 20 * kHour, round.outbreak_site_id);
    const service::Actor community = As("community", core::Role::kCommunity);
    const service::Actor guard = As("guard", core::Role::kGuard);
    const auto place = store::FindPlace(tx.db(), round.outbreak_community_id);
    s.checkpoint_id = Must(service::CreateCheckpoint(tx, env, community, place->name + "南门",
                                                     round.outbreak_community_id),
                           "checkpoint")
                          .id;
    s.checkpoint_name = place->name + "南门";
    // Residents of the community come and go; one from 8号楼 (controlled) is kept in; a
    // resident of another community is let in (the community itself is not under control).
    const auto residents = store::ListResidentsUnder(tx.db(), place->id_path, "", 0, 6);
    core::Micros t = now - 90 * kMinute;
    for (std::size_t i = 0; i < residents.size(); ++i) {
      clock.Set(t += 7 * kMinute);
      Must(service::ScanAtCheckpoint(tx, env, guard, s.checkpoint_id,
                                     std::to_string(residents[i].id), i % 2 ? "out" : "in"),
           "gate scan");
      ++s.scans;
    }
    for (const auto& building : store::ChildPlaces(tx.db(), place->id)) {
      if (building.name != "8号楼") continue;
      const auto inside = store::ListResidentsUnder(tx.db(), building.id_path, "", 0, 1);
      if (inside.empty()) break;
      clock.Set(t += 5 * kMinute);
      Must(service::ScanAtCheckpoint(tx, env, guard, s.checkpoint_id,
                                     std::to_string(inside.front().id), "out"),
           "gate scan");
      ++s.scans;
    }
    const auto everyone = store::ListResidentsUnder(tx.db(), "/", "", 0, 1);
    if (!everyone.empty() && !core::InSubtree(everyone.front().place_id_path, place->id_path)) {
      clock.Set(t += 5 * kMinute);
      Must(service::ScanAtCheckpoint(tx, env, guard, s.checkpoint_id,
                                     std::to_string(everyone.front().id), "in"),
           "gate scan");
      ++s.scans;
    }
    return s;
  });
}

}  // namespace swabline::cli
