#pragma once
/// Turnaround of a round (issue: sampled → sealed → dispatched → received → resulted): the
/// median and 95th percentile of sample-to-result hours, and tubes past the limit.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/tube.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct OverdueTube {
  std::string barcode;
  core::TubeStatus status = core::TubeStatus::kOpen;
  core::Micros first_sample_at = 0;
  double hours = 0;
};

struct Turnaround {
  std::int64_t round_id = 0;
  std::int64_t tubes = 0;  // with at least one sample
  std::int64_t resulted = 0;
  std::optional<double> median_hours;
  std::optional<double> p95_hours;
  // Medians of each leg, in hours.
  std::optional<double> sample_to_seal_hours;
  std::optional<double> seal_to_dispatch_hours;
  std::optional<double> dispatch_to_receipt_hours;
  std::optional<double> receipt_to_result_hours;
  double limit_hours = 12;
  std::vector<OverdueTube> overdue;  // oldest first
};

/// kUnknownRound, kForbidden.
core::Result<Turnaround> GetTurnaround(store::Connection& db, const Env& env, const Actor& actor,
                                       std::int64_t round_id, double limit_hours);

}  // namespace swabline::service
