#include "core/pooling.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace swabline::core {
namespace {

// R. Dorfman, "The detection of defective members of large populations", Ann. Math. Statist.
// 14 (1943) 436–440, Table 1: the optimal group size and the relative cost (expected tests per
// person, printed as whole per cents: 20, 27, 43, 59, 72) for a perfect assay at prevalence
// 1%, 2%, 5%, 10% and 15%. The values below are E(k) = 1/k + 1 − (1 − p)^k at that k,
// recomputed to six places.
struct DorfmanRow {
  double p;
  int k;
  double tests_per_person;
};
constexpr DorfmanRow kDorfman[] = {
    {0.01, 11, 0.195571}, {0.02, 8, 0.274237}, {0.05, 5, 0.426219},
    {0.10, 4, 0.593900},  {0.15, 3, 0.719208},
};

TEST(PoolingDorfman, OptimumOverAnySizeMatchesThePublishedTable) {
  for (const DorfmanRow& row : kDorfman) {
    OptimalPool best = OptimalPoolSize(row.p, PerfectAssay());
    EXPECT_EQ(best.pool_size, row.k) << "p=" << row.p;
    EXPECT_NEAR(best.tests_per_person, row.tests_per_person, 1e-6) << "p=" << row.p;
  }
}

TEST(PoolingDorfman, TestsPerPersonFollowTheFormula) {
  EXPECT_DOUBLE_EQ(TestsPerPerson(0.05, 1, PerfectAssay()), 1.0);
  EXPECT_NEAR(TestsPerPerson(0.05, 5, PerfectAssay()), 0.2 + 1 - std::pow(0.95, 5), 1e-15);
  Assay assay{0.95, 0.99, {}};
  EXPECT_NEAR(TestsPerPerson(0.02, 10, assay), 0.1 + 0.95 - 0.94 * std::pow(0.98, 10), 1e-15);
}

TEST(PoolingDorfman, PoolingStopsPayingAboveOneMinusACubeRootOfAThird) {
  // E(3) = 1 is where pooling of any size stops paying: p = 1 − 3^(−1/3) ≈ 0.30664.
  EXPECT_EQ(OptimalPoolSize(0.3066, PerfectAssay()).pool_size, 3);
  EXPECT_EQ(OptimalPoolSize(0.3067, PerfectAssay()).pool_size, 1);
  EXPECT_EQ(OptimalPoolSize(0.31, PerfectAssay()).pool_size, 1);
}

TEST(PoolingAdvice, ChoosesAmongOneFiveTenTwenty) {
  auto size_at = [](double p) {
    return AdvisePoolSize(p, 1000, PerfectAssay())->recommended_pool_size;
  };
  EXPECT_EQ(size_at(0.0), 20);
  EXPECT_EQ(size_at(0.001), 20);
  EXPECT_EQ(size_at(0.005), 20);  // E(20) = 0.1454 < E(10) = 0.1489
  EXPECT_EQ(size_at(0.01), 10);   // E(10) = 0.1956
  EXPECT_EQ(size_at(0.02), 10);   // E(10) = 0.2829 < E(5) = 0.2961
  EXPECT_EQ(size_at(0.05), 5);    // E(5) = 0.4262
  EXPECT_EQ(size_at(0.10), 5);    // E(5) = 0.6095
  // Among 5, 10 and 20 the last to pay is 5: E(5) = 1 at p ≈ 0.27522.
  EXPECT_EQ(size_at(0.2752), 5);
  EXPECT_EQ(size_at(0.2753), 1);
  EXPECT_EQ(size_at(0.31), 1);
}

TEST(PoolingDorfman, AnImperfectAssayMovesTheOptimum) {
  // Se 0.95, Sp 0.99: E(k) = 1/k + 0.95 − 0.94·(1 − p)^k, recomputed by hand. A missed pool
  // saves its retests and a false-positive pool costs them, so at p = 0.01 the optimum stays
  // at 11 but costs more (0.199291 against 0.195571), and at p = 0.001 it grows from 32 to 33.
  Assay assay{0.95, 0.99, {}};
  EXPECT_EQ(OptimalPoolSize(0.01, assay).pool_size, 11);
  EXPECT_NEAR(OptimalPoolSize(0.01, assay).tests_per_person, 0.199291, 1e-6);
  EXPECT_EQ(OptimalPoolSize(0.02, assay).pool_size, 8);
  EXPECT_NEAR(OptimalPoolSize(0.02, assay).tests_per_person, 0.275283, 1e-6);
  EXPECT_EQ(OptimalPoolSize(0.001, assay).pool_size, 33);
  EXPECT_EQ(OptimalPoolSize(0.001, PerfectAssay()).pool_size, 32);
  auto advice = AdvisePoolSize(0.02, 1000, assay);
  ASSERT_TRUE(advice.ok());
  EXPECT_EQ(advice->recommended_pool_size, 10);  // E(10) = 0.281952 < E(5) = 0.300314
  EXPECT_NEAR(advice->options[1].tests_per_person, 0.300314, 1e-6);
  EXPECT_NEAR(advice->options[2].tests_per_person, 0.281952, 1e-6);
  EXPECT_NEAR(advice->options[3].tests_per_person, 0.372449, 1e-6);
  EXPECT_EQ(AdvisePoolSize(0.05, 1000, assay)->recommended_pool_size, 5);  // E(5) = 0.422646
}

TEST(PoolingAdvice, KeepsWithinTheDilutionLimit) {
  auto advice = AdvisePoolSize(0.001, 1000, PerfectAssay(), DilutionLimit{10});
  ASSERT_TRUE(advice.ok());
  EXPECT_EQ(advice->recommended_pool_size, 10);
  EXPECT_FALSE(advice->options[3].allowed);
  EXPECT_EQ(AdvisePoolSize(0.001, 1000, PerfectAssay(), DilutionLimit{1})->recommended_pool_size,
            1);
}

TEST(PoolingAdvice, RefusesASizeWhoseSensitivityIsBelowTheLimit) {
  // Dilution to 0.85 at twenty makes twenty look cheaper (E = 0.066839 against 0.069415 at
  // 0.98), because it finds fewer positive pools; the limit, not the cost, must refuse it.
  Assay assay{0.98, 1.0, {{20, 0.85}}};
  auto loose = AdvisePoolSize(0.001, 1000, assay);
  ASSERT_TRUE(loose.ok());
  EXPECT_EQ(loose->recommended_pool_size, 20);
  EXPECT_NEAR(loose->options[3].tests_per_person, 0.0668394649, 1e-9);
  EXPECT_NEAR(loose->options[3].missed_positives, 1000 * 0.001 * (1 - 0.85 * 0.98), 1e-12);
  auto strict = AdvisePoolSize(0.001, 1000, assay, DilutionLimit{20, 0.9});
  EXPECT_EQ(strict->recommended_pool_size, 10);
  EXPECT_FALSE(strict->options[3].allowed);
}

TEST(PoolingAdvice, CountsTubesRetestsAndKits) {
  auto advice = AdvisePoolSize(0.01, 1000, PerfectAssay());
  ASSERT_TRUE(advice.ok());
  const PoolSizeOption& ten = advice->options[2];
  double pool_rate = 1 - std::pow(0.99, 10);  // 0.0956179
  EXPECT_EQ(ten.pool_size, 10);
  EXPECT_EQ(ten.tubes, 100);
  EXPECT_NEAR(ten.positive_pool_rate, pool_rate, 1e-15);
  EXPECT_NEAR(ten.retests, 1000 * pool_rate, 1e-9);      // 95.62
  EXPECT_NEAR(ten.tests, 100 + 1000 * pool_rate, 1e-9);  // 195.62
  EXPECT_NEAR(ten.kits, 1000 + 1000 * pool_rate, 1e-9);  // 1095.62
  const PoolSizeOption& single = advice->options[0];
  EXPECT_EQ(single.tubes, 1000);
  EXPECT_EQ(single.retests, 0);
  EXPECT_EQ(single.kits, 1000);
  EXPECT_NEAR(advice->tests_saved, 1000 - ten.tests, 1e-9);  // 804.38
}

TEST(PoolingAdvice, CountsTheShortLastPoolAtItsOwnSize) {
  auto advice = AdvisePoolSize(0.01, 1003, PerfectAssay());
  const PoolSizeOption& ten = advice->options[2];
  EXPECT_EQ(ten.tubes, 101);
  EXPECT_NEAR(ten.retests, 1000 * (1 - std::pow(0.99, 10)) + 3 * (1 - std::pow(0.99, 3)), 1e-9);
}

TEST(PoolingAdvice, RefusesBadSettings) {
  EXPECT_EQ(AdvisePoolSize(1.5, 10, PerfectAssay()).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(AdvisePoolSize(0.1, -1, PerfectAssay()).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(AdvisePoolSize(0.1, 10, PerfectAssay(), DilutionLimit{0}).error().code,
            ErrorCode::kInvalidField);
  auto coin = AdvisePoolSize(0.1, 10, Assay{0.5, 0.5, {}});
  ASSERT_FALSE(coin.ok());
  EXPECT_NE(coin.error().detail.find("sensitivity"), std::string::npos);
  EXPECT_FALSE(ValidateAssay(Assay{0.95, 1.2, {}}).ok());
  EXPECT_FALSE(ValidateAssay(Assay{0.95, 0.99, {{0, 0.9}}}).ok());
  EXPECT_TRUE(ValidateAssay(PerfectAssay()).ok());
  EXPECT_TRUE(ValidateAssay(Assay{}).ok());
}

// Reference values below are from an independent 40-digit maximisation (mpmath).

TEST(PoolingEstimate, OnePoolSizeWithAPerfectAssayIsTheClosedForm) {
  PoolGroup g{10, 100, 5};
  auto est = EstimatePrevalence({&g, 1}, PerfectAssay());
  ASSERT_TRUE(est.ok());
  double closed = 1 - std::pow(1 - 5.0 / 100, 1.0 / 10);  // 0.0051161968918237
  EXPECT_NEAR(est->prevalence, closed, 1e-12);
  EXPECT_NEAR(est->prevalence, 0.0051161968918237011, 1e-12);
  EXPECT_NEAR(est->lower, 0.0018375630855771363, 1e-9);
  EXPECT_NEAR(est->upper, 0.010965181964841626, 1e-9);
  EXPECT_EQ(est->pools, 100);
  EXPECT_EQ(est->positive_pools, 5);
  EXPECT_EQ(est->people, 1000);
}

TEST(PoolingEstimate, MatchesTheClosedFormForManyCounts) {
  for (int k : {1, 5, 10, 20})
    for (int x : {1, 3, 17, 49}) {
      PoolGroup g{k, 50, x};
      auto est = EstimatePrevalence({&g, 1}, PerfectAssay());
      EXPECT_NEAR(est->prevalence, 1 - std::pow(1 - x / 50.0, 1.0 / k), 1e-12) << k << " " << x;
    }
}

TEST(PoolingEstimate, ImperfectAssayIsTheClosedFormOfTheCorrectedRate) {
  Assay assay{0.95, 0.99, {}};
  PoolGroup g{10, 100, 5};
  auto est = EstimatePrevalence({&g, 1}, assay);
  double corrected = (5.0 / 100 - (1 - 0.99)) / (0.95 + 0.99 - 1);  // 0.0425532
  EXPECT_NEAR(est->prevalence, 1 - std::pow(1 - corrected, 1.0 / 10), 1e-12);
  EXPECT_NEAR(est->prevalence, 0.004339070109017333, 1e-12);
  EXPECT_NEAR(est->lower, 0.00087840279908467444, 1e-9);
  EXPECT_NEAR(est->upper, 0.01052712175623572, 1e-9);
}

TEST(PoolingEstimate, ImperfectAssayClipsAtZeroBelowTheFalsePositiveRate) {
  // 1 positive pool in 200 is below 1 − Sp = 1%: all of it can be false positives.
  PoolGroup g{10, 200, 1};
  auto est = EstimatePrevalence({&g, 1}, Assay{0.95, 0.99, {}});
  EXPECT_EQ(est->prevalence, 0);
  EXPECT_EQ(est->lower, 0);
  EXPECT_GT(est->upper, 0);
}

TEST(PoolingEstimate, ImperfectAssayClipsAtOneAboveTheSensitivity) {
  PoolGroup g{5, 20, 20};
  auto est = EstimatePrevalence({&g, 1}, Assay{0.95, 0.99, {}});
  EXPECT_EQ(est->prevalence, 1);
  EXPECT_EQ(est->upper, 1);
}

TEST(PoolingEstimate, CombinesMixedPoolSizes) {
  std::vector<PoolGroup> groups{{10, 50, 3}, {5, 40, 1}, {1, 20, 0}};
  auto est = EstimatePrevalence(groups, PerfectAssay());
  ASSERT_TRUE(est.ok());
  EXPECT_NEAR(est->prevalence, 0.0056790136748069399, 1e-12);
  EXPECT_NEAR(est->lower, 0.001766379446800819, 1e-9);
  EXPECT_NEAR(est->upper, 0.01314512950563531, 1e-9);
  EXPECT_EQ(est->people, 720);
}

TEST(PoolingEstimate, CombinesMixedPoolSizesWithAnImperfectAssay) {
  std::vector<PoolGroup> groups{{10, 50, 3}, {5, 40, 1}, {20, 10, 2}};
  auto est = EstimatePrevalence(groups, Assay{0.95, 0.99, {}});
  EXPECT_NEAR(est->prevalence, 0.0062979497635228321, 1e-12);
  EXPECT_NEAR(est->lower, 0.0019126923009832925, 1e-9);
  EXPECT_NEAR(est->upper, 0.013786402534552489, 1e-9);
}

TEST(PoolingEstimate, SplitGroupsOfOneSizeGiveTheSameAnswer) {
  std::vector<PoolGroup> split{{10, 60, 2}, {10, 40, 3}, {10, 0, 0}};
  PoolGroup whole{10, 100, 5};
  auto a = EstimatePrevalence(split, PerfectAssay());
  auto b = EstimatePrevalence({&whole, 1}, PerfectAssay());
  EXPECT_NEAR(a->prevalence, b->prevalence, 1e-12);
  EXPECT_NEAR(a->upper, b->upper, 1e-12);
}

TEST(PoolingEstimate, MixedSizesOfOneSizeReduceToTheClosedForm) {
  // The mixed-size likelihood with every group of size k is one binomial in x = Σx, n = Σn.
  for (Assay assay : {PerfectAssay(), Assay{0.95, 0.99, {}}}) {
    std::vector<PoolGroup> groups{{20, 30, 2}, {20, 25, 4}, {20, 45, 1}};
    auto est = EstimatePrevalence(groups, assay);
    ASSERT_TRUE(est.ok());
    double rate =
        (7.0 / 100 - (1 - assay.specificity)) / (assay.sensitivity + assay.specificity - 1);
    EXPECT_NEAR(est->prevalence, 1 - std::pow(1 - rate, 1.0 / 20), 1e-12);
  }
}

TEST(PoolingEstimate, TheProfileLikelihoodIntervalCoversTheEstimate) {
  for (Assay assay : {PerfectAssay(), Assay{0.95, 0.99, {}}})
    for (int k : {1, 5, 10, 20})
      for (int x : {0, 1, 4, 30, 60}) {
        std::vector<PoolGroup> groups{{k, 60, x}, {5, 20, x % 7}};
        auto est = EstimatePrevalence(groups, assay);
        ASSERT_TRUE(est.ok());
        EXPECT_LE(est->lower, est->prevalence) << k << " " << x;
        EXPECT_GE(est->upper, est->prevalence) << k << " " << x;
        EXPECT_GE(est->lower, 0);
        EXPECT_LE(est->upper, 1);
      }
}

TEST(PoolingEstimate, NoPositivePoolGivesZeroWithAnUpperBound) {
  PoolGroup g{10, 100, 0};
  auto est = EstimatePrevalence({&g, 1}, PerfectAssay());
  EXPECT_EQ(est->prevalence, 0);
  EXPECT_EQ(est->lower, 0);
  // ℓ(p) = 1000·log(1 − p), so the bound is 1 − exp(−3.8415/2/1000) = 0.0019189.
  EXPECT_NEAR(est->upper, 1 - std::exp(-3.841458820694126 / 2 / 1000), 1e-12);
}

TEST(PoolingEstimate, AllPoolsPositiveGivesOneWithALowerBound) {
  PoolGroup g{5, 20, 20};
  auto est = EstimatePrevalence({&g, 1}, PerfectAssay());
  EXPECT_EQ(est->prevalence, 1);
  EXPECT_EQ(est->upper, 1);
  // ℓ(p) = 20·log(1 − (1 − p)^5): lower = 1 − (1 − exp(−1.9207/20))^(1/5) = 0.38006.
  EXPECT_NEAR(est->lower, 0.38005979322636097, 1e-9);
}

TEST(PoolingEstimate, WidensWithTheConfidence) {
  PoolGroup g{10, 100, 5};
  auto narrow = EstimatePrevalence({&g, 1}, PerfectAssay(), 0.8);
  auto wide = EstimatePrevalence({&g, 1}, PerfectAssay(), 0.99);
  EXPECT_LT(wide->lower, narrow->lower);
  EXPECT_GT(wide->upper, narrow->upper);
}

TEST(PoolingEstimate, RefusesBadCounts) {
  auto refuse = [](std::vector<PoolGroup> groups, double confidence = 0.95) {
    auto est = EstimatePrevalence(groups, PerfectAssay(), confidence);
    return !est.ok() && est.error().code == ErrorCode::kInvalidField;
  };
  EXPECT_TRUE(refuse({}));
  EXPECT_TRUE(refuse({{10, 0, 0}}));
  EXPECT_TRUE(refuse({{0, 10, 1}}));
  EXPECT_TRUE(refuse({{10, 10, 11}}));
  EXPECT_TRUE(refuse({{10, -1, 0}}));
  EXPECT_TRUE(refuse({{10, 10, 1}}, 1.0));
}

}  // namespace
}  // namespace swabline::core
