#pragma once
/// Turnaround figures (sample → result) from a set of durations.

#include <optional>
#include <vector>

namespace swabline::core {

/// The q-th quantile (0..1) by nearest rank; nullopt for an empty set. Sorts `values`.
std::optional<double> Quantile(std::vector<double>& values, double q);

}  // namespace swabline::core
