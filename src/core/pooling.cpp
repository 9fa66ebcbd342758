#include "core/pooling.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace swabline::core {
namespace {

Error Invalid(std::string detail) { return Fail(ErrorCode::kInvalidField, std::move(detail)); }

bool IsProbability(double v) { return v > 0 && v <= 1; }  // also false for NaN

/// A pool's two outcomes at prevalence p, each as a sum of non-negative terms so that neither
/// cancels: (1 − p)^k is computed as exp(k·log1p(−p)) and 1 − (1 − p)^k as −expm1 of it,
/// which keeps P(k) exact to the last digits when p is 1e-6 and the pool has 20 people.
struct PoolOutcome {
  double positive;
  double negative;
};

PoolOutcome Outcome(double p, int k, double se, double sp) {
  double none = 0;  // no member infected
  double some = 1;
  if (p < 1) {
    double log_none = k * std::log1p(-p);
    none = std::exp(log_none);
    some = -std::expm1(log_none);
  }
  return {se * some + (1 - sp) * none, (1 - se) * some + sp * none};
}

/// One pool size's counts with the assay's accuracy at that size.
struct Binomial {
  int k;
  double n;
  double x;
  double se;
  double sp;
};

double LogLikelihood(std::span<const Binomial> data, double p) {
  double sum = 0;
  for (const Binomial& b : data) {
    PoolOutcome o = Outcome(p, b.k, b.se, b.sp);
    if (b.x > 0) sum += b.x * std::log(o.positive);
    if (b.n > b.x) sum += (b.n - b.x) * std::log(o.negative);
  }
  return sum;  // −inf where the data are impossible (e.g. a positive pool at p = 0, Sp = 1)
}

/// d/dp of LogLikelihood: Σ (x/P − (n − x)/(1 − P))·(Se + Sp − 1)·k·(1 − p)^(k − 1).
double Score(std::span<const Binomial> data, double p) {
  double sum = 0;
  for (const Binomial& b : data) {
    double slope = (b.se + b.sp - 1) * b.k * std::pow(1 - p, b.k - 1);
    if (slope == 0) continue;
    PoolOutcome o = Outcome(p, b.k, b.se, b.sp);
    double per_p = 0;
    if (b.x > 0) per_p += b.x / o.positive;
    if (b.n > b.x) per_p -= (b.n - b.x) / o.negative;
    sum += per_p * slope;
  }
  return sum;
}

/// Halves [lo, hi] until the two are adjacent doubles, keeping `is_low(lo)` true and
/// `is_low(hi)` false (neither end is tested).
template <typename IsLow>
std::pair<double, double> Bisect(double lo, double hi, IsLow is_low) {
  for (int i = 0; i < 2000; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    (is_low(mid) ? lo : hi) = mid;
  }
  return {lo, hi};
}

/// The maximum of the log-likelihood over [0, 1]. A log-spaced grid from 1e-12 finds its
/// neighbourhood (the likelihood is concave for a perfect assay and unimodal in practice
/// otherwise); bisection on the score's sign then pins it to the last bit, which is what lets
/// one pool size reproduce the closed form to 1e-12.
double MaximumLikelihood(std::span<const Binomial> data) {
  constexpr int kSteps = 240;  // 20 per decade from 1e-12 to 1
  std::vector<double> grid{0};
  std::vector<double> ll{LogLikelihood(data, 0)};
  grid.reserve(kSteps + 2);
  ll.reserve(kSteps + 2);
  for (int e = -kSteps; e <= 0; ++e) {
    grid.push_back(std::pow(10.0, e / 20.0));
    ll.push_back(LogLikelihood(data, grid.back()));
  }
  auto best = static_cast<std::size_t>(std::max_element(ll.begin(), ll.end()) - ll.begin());
  if (best == 0 && Score(data, 0) <= 0) return 0;
  double lo = grid[best == 0 ? 0 : best - 1];
  double hi = grid[std::min(best + 1, grid.size() - 1)];
  auto [a, b] = Bisect(lo, hi, [&](double p) { return Score(data, p) > 0; });
  // Prefer the upper end on a tie: all pools positive with a perfect assay gives exactly 1.
  return LogLikelihood(data, b) >= LogLikelihood(data, a) ? b : a;
}

/// χ² with one degree of freedom at `confidence`: the square of the normal quantile at
/// (1 + confidence)/2, found by bisection on erfc (3.841459 for 0.95).
double ChiSquare1(double confidence) {
  double tail = (1 - confidence) / 2;
  auto [z, unused] =
      Bisect(0, 40, [&](double v) { return std::erfc(v / std::sqrt(2.0)) / 2 > tail; });
  (void)unused;
  return z * z;
}

Status CheckGroups(std::span<const PoolGroup> groups) {
  int pools = 0;
  for (const PoolGroup& g : groups) {
    if (g.pool_size < 1) return Invalid("pool_size: must be at least 1");
    if (g.pools < 0 || g.positive_pools < 0) return Invalid("pools: counts cannot be negative");
    if (g.positive_pools > g.pools) return Invalid("positive_pools: more than the pools tested");
    pools += g.pools;
  }
  if (pools == 0) return Invalid("pools: no pool has a result");
  return Ok{};
}

}  // namespace

double Assay::SensitivityAt(int pool_size) const {
  for (const auto& [k, se] : sensitivity_by_pool_size)
    if (k == pool_size) return se;
  return sensitivity;
}

Status ValidateAssay(const Assay& assay) {
  if (!IsProbability(assay.specificity)) return Invalid("specificity: must be in (0, 1]");
  auto check = [&](double se) -> Status {
    if (!IsProbability(se)) return Invalid("sensitivity: must be in (0, 1]");
    if (se + assay.specificity <= 1)
      return Invalid(
          "sensitivity: with the specificity it must exceed 1 (else a result says nothing)");
    return Ok{};
  };
  SWB_TRY(check(assay.sensitivity));
  for (const auto& [k, se] : assay.sensitivity_by_pool_size) {
    if (k < 1) return Invalid("sensitivity_by_pool_size: pool size must be at least 1");
    SWB_TRY(check(se));
  }
  return Ok{};
}

double PoolPositiveProbability(double p, int pool_size, const Assay& assay) {
  return Outcome(p, pool_size, assay.SensitivityAt(pool_size), assay.specificity).positive;
}

double TestsPerPerson(double p, int pool_size, const Assay& assay) {
  if (pool_size <= 1) return 1;
  return 1.0 / pool_size + PoolPositiveProbability(p, pool_size, assay);
}

Result<PrevalenceEstimate> EstimatePrevalence(std::span<const PoolGroup> groups, const Assay& assay,
                                              double confidence) {
  SWB_TRY(ValidateAssay(assay));
  SWB_TRY(CheckGroups(groups));
  if (!(confidence > 0 && confidence < 1)) return Invalid("confidence: must be in (0, 1)");
  PrevalenceEstimate out;
  out.confidence = confidence;
  std::vector<Binomial> data;
  for (const PoolGroup& g : groups) {
    if (g.pools == 0) continue;
    data.push_back({g.pool_size, double(g.pools), double(g.positive_pools),
                    assay.SensitivityAt(g.pool_size), assay.specificity});
    out.pools += g.pools;
    out.positive_pools += g.positive_pools;
    out.people += static_cast<long long>(g.pools) * g.pool_size;
  }
  double p = MaximumLikelihood(data);
  double floor = LogLikelihood(data, p) - ChiSquare1(confidence) / 2;
  auto inside = [&](double q) { return LogLikelihood(data, q) >= floor; };
  out.prevalence = p;
  out.lower = inside(0) ? 0 : Bisect(0, p, [&](double q) { return !inside(q); }).second;
  out.upper = inside(1) ? 1 : Bisect(p, 1, inside).first;
  return out;
}

Result<PoolingAdvice> AdvisePoolSize(double p, long long people, const Assay& assay,
                                     const DilutionLimit& limit) {
  SWB_TRY(ValidateAssay(assay));
  if (!(p >= 0 && p <= 1)) return Invalid("prevalence: must be in [0, 1]");
  if (people < 0) return Invalid("people: cannot be negative");
  if (limit.max_pool_size < 1) return Invalid("max_pool_size: must be at least 1");
  if (!(limit.min_sensitivity <= 1)) return Invalid("min_sensitivity: must be at most 1");
  PoolingAdvice out;
  out.prevalence = p;
  const double single_sensitivity = assay.SensitivityAt(1);
  const auto n = static_cast<double>(people);
  for (int k : kPoolSizes) {
    PoolSizeOption o;
    o.pool_size = k;
    o.sensitivity = assay.SensitivityAt(k);
    o.allowed = k == 1 || (k <= limit.max_pool_size && o.sensitivity >= limit.min_sensitivity);
    o.positive_pool_rate = PoolPositiveProbability(p, k, assay);
    o.tests_per_person = TestsPerPerson(p, k, assay);
    o.tubes = (people + k - 1) / k;
    if (k > 1) {
      long long full = people / k;
      int rest = static_cast<int>(people % k);
      o.retests = static_cast<double>(full * k) * o.positive_pool_rate;
      if (rest > 0) o.retests += rest * PoolPositiveProbability(p, rest, assay);
    }
    o.tests = static_cast<double>(o.tubes) + o.retests;
    o.kits = n + o.retests;
    // A pooled positive is found only if its pool and then its own retest both detect it.
    double found = k == 1 ? single_sensitivity : o.sensitivity * single_sensitivity;
    o.missed_positives = n * p * (1 - found);
    out.options.push_back(o);
  }
  const PoolSizeOption* best = &out.options.front();
  for (const PoolSizeOption& o : out.options)
    if (o.allowed && o.tests_per_person < best->tests_per_person) best = &o;
  out.recommended_pool_size = best->pool_size;
  out.tests_saved = out.options.front().tests - best->tests;
  return out;
}

OptimalPool OptimalPoolSize(double p, const Assay& assay, int max_pool_size) {
  OptimalPool best;
  for (int k = 2; k <= max_pool_size; ++k) {
    double e = TestsPerPerson(p, k, assay);
    if (e < best.tests_per_person) best = {k, e};
  }
  return best;
}

}  // namespace swabline::core
