#include "service/turnaround.hpp"

#include "core/turnaround.hpp"
#include "service/rounds.hpp"
#include "store/rounds.hpp"
#include "store/turnaround_rows.hpp"

namespace swabline::service {
namespace {

constexpr double kMicrosPerHour = 3600.0 * 1e6;

/// Adds the hours between two optional instants to `out` when both are known.
void Leg(std::vector<double>& out, std::optional<std::int64_t> from,
         std::optional<std::int64_t> to) {
  if (from && to) out.push_back(static_cast<double>(*to - *from) / kMicrosPerHour);
}

}  // namespace

core::Result<Turnaround> GetTurnaround(store::Connection& db, const Env& env, const Actor& actor,
                                       std::int64_t round_id, double limit_hours) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  SWB_TRY(GetRound(db, actor, round_id));  // unknown, or outside the actor's places
  Turnaround out;
  out.round_id = round_id;
  out.limit_hours = limit_hours;
  const core::Micros now = env.clock.Now();
  std::vector<double> total, seal, dispatch, receipt, result;
  for (const auto& t : store::RoundTubeTimes(db, round_id)) {
    ++out.tubes;
    Leg(total, t.first_sample_at, t.resulted_at);
    Leg(seal, t.first_sample_at, t.sealed_at);
    Leg(dispatch, t.sealed_at, t.dispatched_at);
    Leg(receipt, t.dispatched_at, t.received_at);
    Leg(result, t.received_at, t.resulted_at);
    if (t.resulted_at) {
      ++out.resulted;
      continue;
    }
    const double age = static_cast<double>(now - t.first_sample_at) / kMicrosPerHour;
    if (age > limit_hours) out.overdue.push_back({t.barcode, t.status, t.first_sample_at, age});
  }
  out.median_hours = core::Quantile(total, 0.5);
  out.p95_hours = core::Quantile(total, 0.95);
  out.sample_to_seal_hours = core::Quantile(seal, 0.5);
  out.seal_to_dispatch_hours = core::Quantile(dispatch, 0.5);
  out.dispatch_to_receipt_hours = core::Quantile(receipt, 0.5);
  out.receipt_to_result_hours = core::Quantile(result, 0.5);
  return out;
}

}  // namespace swabline::service
