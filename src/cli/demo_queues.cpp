// The demo's live queues: collectors on shift and people waiting at every site, counted now
// through the real use cases, so the public queue board (#/queue) shows waits at once.

#include "cli/demo_round.hpp"
#include "cli/demo_support.hpp"
#include "service/sites.hpp"

namespace swabline::cli {

DemoQueueSummary SeedDemoQueues(service::Runtime& rt) {
  const service::Env env = rt.env();
  const service::Actor recorder = demo::As("recorder", core::Role::kRecorder);
  const auto sites = rt.readers().RunSync([](store::Connection& db) {
    return demo::Must(service::ListPublicSites(db, std::nullopt, 0, 1000), "sites").sites;
  });
  return rt.writer().RunSync([&](store::Tx& tx) {
    DemoQueueSummary out;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const service::Site& site = sites[i];
      const auto collectors = static_cast<std::int64_t>(2 + i % 3);
      demo::Must(service::SetCollectors(tx, env, recorder, site.id, collectors), "collectors");
      for (core::Lane lane : site.lanes) {
        const bool green = lane == core::Lane::kGreen;
        const auto waiting = static_cast<std::int64_t>(green ? 2 + i % 4 : 9 + (i * 13) % 31);
        demo::Must(service::CountQueue(tx, env, recorder, site.id,
                                       std::string(core::LaneName(lane)), waiting),
                   "queue");
        out.waiting += waiting;
      }
      out.collectors += collectors;
      ++out.sites;
    }
    return out;
  });
}

}  // namespace swabline::cli
