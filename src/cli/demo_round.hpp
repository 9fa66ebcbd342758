#pragma once
/// The living part of the demo city: a round in progress, so that every page has real data, and
/// its outbreak response half-way through (demo_outbreak.cpp).

#include <cstdint>
#include <string>

#include "service/runtime.hpp"

namespace swabline::cli {

struct DemoRoundSummary {
  std::int64_t round_id = 0;
  int samples = 0;
  int tubes = 0;
  std::string positive_tube;
  std::int64_t outbreak_community_id = 0;  // 小黄庄社区 (the `community` user's): the positive pool
  std::int64_t outbreak_site_id = 0;       // its sampling site
};

/// Opens "第1轮全员核酸" over the district with one site per community, and plays the day
/// through the real use cases with a backdated clock: communities sampled to different depths,
/// tubes sealed, boxed, dispatched, received and resulted (one positive pool in 小黄庄社区,
/// one invalid tube), a box still in transit, and one community's tubes overdue at the sampling
/// point.
DemoRoundSummary SeedDemoRound(service::Runtime& rt);

struct DemoOutbreakSummary {
  std::int64_t pool_incident_id = 0;
  int retests_done = 0;
  int retests = 0;
  std::int64_t antigen_incident_id = 0;
  int checklist_done = 0;
  std::string zone_place;  // the building under a zone started by hand
};

/// Plays the follow-up of the round's positive pool through the real use cases, with a
/// backdated clock: part of its retest tasks assigned to a door-to-door team and four
/// retests resulted negative (the incident stays open); an antigen-positive report from
/// 6号楼 with two of its five checklist items negative; and 8号楼 under a `controlled` zone
/// started by hand. Needs the round SeedDemoRound made.
DemoOutbreakSummary SeedDemoOutbreak(service::Runtime& rt, const DemoRoundSummary& round);

struct DemoQueueSummary {
  int sites = 0;
  std::int64_t collectors = 0;
  std::int64_t waiting = 0;
};

/// Puts collectors on shift and people in every lane of every site, now (demo_queues.cpp).
DemoQueueSummary SeedDemoQueues(service::Runtime& rt);
struct DemoGatesSummary {
  int sites = 0;  // each given a tube batch and its stock
  std::int64_t checkpoint_id = 0;
  std::string checkpoint_name;
  int scans = 0;
};

/// Issues every site a batch of the barcodes its tubes use (CY01-00001 …) with its stock of
/// swabs and kits (小黄庄社区's site low on swabs, so a low_stock message waits in the outbox),
/// and opens a checkpoint at 小黄庄社区's gate where the `guard` user logged a few scans
/// (one resident of the controlled 8号楼 kept in). Needs the round SeedDemoRound made.
DemoGatesSummary SeedDemoGates(service::Runtime& rt, const DemoRoundSummary& round);
struct DemoCommunitySummary {
  int on_duty = 0;
  std::int64_t overdue_request_id = 0;
  std::int64_t assigned_request_id = 0;
  std::int64_t zoned_request_id = 0;
  std::string resident_code;  // of a resident with results to show on their own page
};

/// The community office of 小黄庄社区 (demo_community.cpp): four staff and volunteers in a
/// work group, on shifts covering now; three residents' requests waiting — a medical visit
/// logged three hours ago (overdue), a food request assigned to the `community` user, and a
/// medicine request a resident of the controlled 8号楼 sent with their personal code (first on
/// the board). Needs the zone SeedDemoOutbreak starts. Names a resident whose own page
/// (#/status?code=) shows a pooled positive and its negative retest.
DemoCommunitySummary SeedDemoCommunity(service::Runtime& rt, const DemoRoundSummary& round);

}  // namespace swabline::cli
