#include "bench/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

namespace swabline::bench {

std::size_t Histogram::BucketOf(std::uint64_t v) {
  if (v < kSub) return static_cast<std::size_t>(v);
  const int e = static_cast<int>(std::bit_width(v)) - 1;  // v in [2^e, 2^(e+1))
  if (e > kMaxExponent) return kBuckets - 1;
  const std::uint64_t sub = (v >> (e - kSubBits)) - kSub;  // 0 … 127
  return static_cast<std::size_t>(kSub + static_cast<std::uint64_t>(e - kSubBits) * kSub + sub);
}

std::uint64_t Histogram::BucketLow(std::size_t b) {
  if (b < kSub) return b;
  const std::uint64_t e = (b - kSub) / kSub + kSubBits;
  const std::uint64_t sub = (b - kSub) % kSub;
  return (kSub + sub) << (e - kSubBits);
}

std::uint64_t Histogram::BucketHigh(std::size_t b) {
  if (b < kSub) return b;
  const std::uint64_t e = (b - kSub) / kSub + kSubBits;
  return BucketLow(b) + (1ULL << (e - kSubBits)) - 1;
}

void Histogram::Record(std::uint64_t v) {
  ++counts_[BucketOf(v)];
  ++count_;
  sum_ += v;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

void Histogram::Merge(const Histogram& o) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

void Histogram::Reset() { *this = Histogram(); }

std::uint64_t Histogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  percent = std::clamp(percent, 0.0, 100.0);
  // The rank of the value asked for, 1-based: p50 of 1..100 is the 50th value.
  auto rank = static_cast<std::uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const std::uint64_t mid = BucketLow(b) + (BucketHigh(b) - BucketLow(b)) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

std::string FormatMicros(std::uint64_t us) {
  char buf[32];
  if (us < 1000) {
    std::snprintf(buf, sizeof buf, "%llu µs", static_cast<unsigned long long>(us));
  } else if (us < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.2f ms", static_cast<double>(us) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
  }
  return buf;
}

std::string Histogram::Summary() const {
  return "p50 " + FormatMicros(Percentile(50)) + "  p90 " + FormatMicros(Percentile(90)) +
         "  p99 " + FormatMicros(Percentile(99)) + "  p99.9 " + FormatMicros(Percentile(99.9)) +
         "  max " + FormatMicros(max());
}

}  // namespace swabline::bench
