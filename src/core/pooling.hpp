#pragma once
/// The pooling advisor's arithmetic: the prevalence behind a round's positive pools, and the
/// pool size (1, 5, 10 or 20) that needs the fewest tests per person in the next round.
///
/// Model (Dorfman 1943, with an imperfect assay): a pool of k people, each infected with
/// probability p, tests positive with probability
///   P(k) = Se·(1 − (1 − p)^k) + (1 − Sp)·(1 − p)^k = Se − (Se + Sp − 1)·(1 − p)^k,
/// and every member of a positive pool is retested in a single tube, so a pool size k > 1
/// costs E(k) = 1/k + P(k) tests per person and single tubes cost E(1) = 1.

#include <array>
#include <span>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace swabline::core {

/// The assay's accuracy. The defaults are a pooled RT-PCR read conservatively: sensitivity
/// 0.95 (the analytical sensitivity of a pooled PCR for a swab that carries virus; sampling
/// misses are not the pool's doing), specificity 0.999 (false-positive pools are rare in mass
/// screening: each is retested and found negative). PerfectAssay() is Dorfman's own setting.
struct Assay {
  double sensitivity = 0.95;
  double specificity = 0.999;
  /// Sensitivity at a given pool size where dilution lowers it, e.g. {{20, 0.90}}; pool
  /// sizes not listed use `sensitivity`.
  std::vector<std::pair<int, double>> sensitivity_by_pool_size;

  double SensitivityAt(int pool_size) const;
};

inline Assay PerfectAssay() { return {1.0, 1.0, {}}; }

/// Refuses (kInvalidField, naming the field) a sensitivity or specificity outside (0, 1], an
/// assay no better than a coin (Se + Sp ≤ 1 at some pool size) or a pool size below 1.
Status ValidateAssay(const Assay& assay);

/// P(k) above: the chance that a pool of `pool_size` tests positive at prevalence `p`.
double PoolPositiveProbability(double p, int pool_size, const Assay& assay);

/// E(k) above: expected tests per person at prevalence `p` (1 for single tubes).
double TestsPerPerson(double p, int pool_size, const Assay& assay);

/// The pools of one size a round tested over a place.
struct PoolGroup {
  int pool_size = 10;
  int pools = 0;           // pools tested (with a result)
  int positive_pools = 0;  // of which positive
};

/// The maximum-likelihood prevalence and its profile-likelihood (likelihood-ratio) interval:
/// every p whose log-likelihood lies within χ²₁(confidence)/2 of the maximum (1.92 for 95%).
/// The interval is chosen over Wilson's because it serves mixed pool sizes and an imperfect
/// assay alike, stays inside [0, 1], and is exact at the edges: no positive pool gives
/// lower = 0, all pools positive gives upper = 1.
struct PrevalenceEstimate {
  double prevalence = 0;
  double lower = 0;
  double upper = 1;
  double confidence = 0.95;
  int pools = 0;
  int positive_pools = 0;
  long long people = 0;  // pools × pool size, summed
};

/// Maximises the binomial log-likelihood Σ x·log P(k) + (n − x)·log(1 − P(k)) over p in
/// [0, 1]. For one pool size and a perfect assay this is the closed form
/// p = 1 − (1 − x/n)^(1/k); with an imperfect assay, the same with x/n replaced by
/// (x/n − (1 − Sp)) / (Se + Sp − 1), clipped to [0, 1].
/// Fails with kInvalidField for a group with pool_size < 1, negative counts or more positive
/// pools than pools, for no pools at all, for a confidence outside (0, 1), or as
/// ValidateAssay does.
Result<PrevalenceEstimate> EstimatePrevalence(std::span<const PoolGroup> groups, const Assay& assay,
                                              double confidence = 0.95);

/// The pool sizes a round may use.
inline constexpr std::array<int, 4> kPoolSizes = {1, 5, 10, 20};

/// One candidate pool size for a round of `people`.
struct PoolSizeOption {
  int pool_size = 1;
  bool allowed = true;            // within the dilution limit
  double sensitivity = 1;         // the assay's at this pool size
  double positive_pool_rate = 0;  // P(k)
  double tests_per_person = 1;    // E(k)
  long long tubes = 0;            // screening tubes: ⌈people / k⌉
  double retests = 0;             // expected single-tube retests (members of positive pools)
  double tests = 0;               // tubes + retests
  double kits = 0;                // swabs: one per person plus one per retest
  double missed_positives = 0;    // infected people the pool and its retest both miss
};

/// What dilution allows. A lower sensitivity makes a pool size look cheaper (fewer positive
/// pools, fewer retests), so dilution loss is a limit on the choice, never part of its cost:
/// a size is allowed when it is at most `max_pool_size` and the assay's sensitivity at it is
/// at least `min_sensitivity`. Single tubes are always allowed.
struct DilutionLimit {
  int max_pool_size = 20;
  double min_sensitivity = 0;
};

struct PoolingAdvice {
  double prevalence = 0;
  std::vector<PoolSizeOption> options;  // one per kPoolSizes, in that order
  int recommended_pool_size = 1;
  double tests_saved = 0;  // single tubes' tests minus the recommended size's
};

/// Scores every pool size in kPoolSizes for a round of `people` at prevalence `p` and
/// recommends the allowed one with the fewest expected tests per person (the smaller size on
/// a tie: less dilution). The last pool of a round may be short: its members count at its
/// size. Fails with kInvalidField for p outside [0, 1], negative people, a max_pool_size
/// below 1, a min_sensitivity above 1, or as ValidateAssay does.
Result<PoolingAdvice> AdvisePoolSize(double p, long long people, const Assay& assay,
                                     const DilutionLimit& limit = {});

/// The unrestricted optimum over every pool size 1..max_pool_size (Dorfman's tables).
struct OptimalPool {
  int pool_size = 1;
  double tests_per_person = 1;
};
OptimalPool OptimalPoolSize(double p, const Assay& assay, int max_pool_size = 40);

}  // namespace swabline::core
