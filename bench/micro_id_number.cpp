// ID-number validation: every scan and every staff status look-up runs it once.

#include <benchmark/benchmark.h>

#include <array>
#include <string>

#include "core/id_number.hpp"

namespace {

using swabline::core::CivilDate;

constexpr CivilDate kToday{2022, 11, 29};
const std::array<std::string, 4> kValid = {"11010519491231002X", "110105199003071239",
                                           "310115198506124414", "440304200101010030"};

void BM_NormalizeValid(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = swabline::core::NormalizeIdNumber(kValid[i++ & 3], kToday);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NormalizeValid);

void BM_NormalizeBadCheckCharacter(benchmark::State& state) {
  const std::string bad = "110105199003071238";
  for (auto _ : state) {
    auto r = swabline::core::NormalizeIdNumber(bad, kToday);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NormalizeBadCheckCharacter);

void BM_LooksLikeIdNumber(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(swabline::core::LooksLikeIdNumber(kValid[i++ & 3]));
}
BENCHMARK(BM_LooksLikeIdNumber);

void BM_CheckCharacter(benchmark::State& state) {
  const std::string first17 = "11010519900307123";
  for (auto _ : state) benchmark::DoNotOptimize(swabline::core::IdNumberCheckCharacter(first17));
}
BENCHMARK(BM_CheckCharacter);

void BM_Mask(benchmark::State& state) {
  for (auto _ : state) {
    auto m = swabline::core::MaskIdNumber(kValid[1]);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_Mask);

}  // namespace

BENCHMARK_MAIN();
