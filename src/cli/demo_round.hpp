#pragma once
/// The living part of the demo city: a round in progress, so that every page has real data.

#include <string>

#include "service/runtime.hpp"

namespace swabline::cli {

struct DemoRoundSummary {
  std::int64_t round_id = 0;
  int samples = 0;
  int tubes = 0;
  std::string positive_tube;
};

/// Opens "第1轮全员核酸" over the district with one site per community, and plays the day
/// through the real use cases with a backdated clock: communities sampled to different depths,
/// tubes sealed, boxed, dispatched, received and resulted (one positive pool, one invalid
/// tube), a box still in transit, and one community's tubes overdue at the sampling point.
DemoRoundSummary SeedDemoRound(service::Runtime& rt);

}  // namespace swabline::cli
