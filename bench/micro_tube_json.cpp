// JSON encoding of a tube: every scan answers with the person and the tube
// (POST /api/v1/tubes/{barcode}/samples), every GET of a tube with its samples too.

#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>

#include "http/json_body.hpp"
#include "service/sampling.hpp"

namespace {

namespace json = boost::json;
using swabline::service::TubeView;

TubeView OpenTube() {
  TubeView v;
  v.tube.barcode = "BS-0012345";
  v.tube.round_id = 7;
  v.tube.site_id = 3;
  v.tube.capacity = 10;
  v.tube.count = 7;
  v.tube.status = swabline::core::TubeStatus::kOpen;
  v.tube.opened_at = 1'669'680'000'000'000;
  v.tube.first_sample_at = 1'669'680'001'000'000;
  return v;
}

TubeView FullTube() {
  TubeView v = OpenTube();
  v.tube.count = 10;
  v.tube.status = swabline::core::TubeStatus::kSealed;
  v.tube.sealed_at = 1'669'680'100'000'000;
  v.with_samples = true;
  for (int i = 0; i < 10; ++i)
    v.samples.push_back({1000 + i,
                         {500 + i, "王秀英", "110105********123X"},
                         1'669'680'001'000'000 + i * 1'000'000});
  return v;
}

void BM_TubeJson(benchmark::State& state) {
  const TubeView v = OpenTube();
  for (auto _ : state) {
    std::string out = json::serialize(swabline::http::TubeJson(v));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_TubeJson);

/// The body of a scan's 201: the sample, its person and the tube.
void BM_ScanReplyJson(benchmark::State& state) {
  const TubeView v = OpenTube();
  const swabline::service::PersonBrief person{501, "王秀英", "110105********123X"};
  for (auto _ : state) {
    json::object o;
    o["id"] = 1001;
    o["person"] = swabline::http::PersonBriefJson(person);
    o["sampled_at"] = "2022-11-29T00:00:01Z";
    o["tube"] = swabline::http::TubeJson(v);
    std::string out = json::serialize(o);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ScanReplyJson);

void BM_TubeWithSamplesJson(benchmark::State& state) {
  const TubeView v = FullTube();
  for (auto _ : state) {
    std::string out = json::serialize(swabline::http::TubeJson(v));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_TubeWithSamplesJson);

}  // namespace

BENCHMARK_MAIN();
