// The gate phase of `swabline bench` (docs/benchmarks.md, Gate scans): a checkpoint at the first
// community and the city's residents scanned at it going in, each scan one status read and one
// logged row committed before the answer — the busiest request of a city under control.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "bench/phases.hpp"
#include "service/checkpoints.hpp"

namespace swabline::bench {

void Bench::GateScans() {
  const service::Env env = city_->runtime->env();
  const std::int64_t checkpoint = city_->runtime->writer().RunSync([&](store::Tx& tx) {
    auto c = service::CreateCheckpoint(tx, env, service::Actor::System(), "bench gate",
                                       city_->community_id);
    if (!c) throw std::runtime_error("bench: checkpoint: " + c.error().detail);
    return c->id;
  });
  const std::string target = fmt::format("/api/v1/checkpoints/{}/scans", checkpoint);
  std::size_t i = 0;
  std::string body;
  auto r = Drive("POST /checkpoints/…/scans", Load(o_.connections, o_.duration),
                 [&](std::size_t, std::string& w) {
                   body.assign(R"({"person":")");
                   body += ViewOf(city_->ids[i++ % city_->ids.size()]);
                   body += R"(","direction":"in"})";
                   BuildRequestInto(w, "POST", target, token_, "application/json", body);
                   return true;
                 });
  report_.Add(RelativeRate("gate_scans_per_s", "gate scans (status read + logged, durable)",
                           "≥ 50% of /healthz", r.OkPerSecond(), "scans/s", 0.5, 0,
                           "residents of the whole city at one community's gate"));
}

}  // namespace swabline::bench
