#include "core/turnaround.hpp"

#include <algorithm>
#include <cmath>

namespace swabline::core {

std::optional<double> Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(q * static_cast<double>(values.size()));
  std::size_t i = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return values[std::min(i, values.size() - 1)];
}

}  // namespace swabline::core
