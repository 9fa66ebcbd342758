#pragma once
/// A latency histogram in the manner of HdrHistogram: log-linear buckets over microseconds,
/// exact below 128 µs and within 1/128 (< 0.8%) above, from 1 µs to hours, in a fixed array
/// so that recording is an increment and two histograms merge by adding counts.
/// Not thread-safe: one per thread, merged afterwards.

#include <array>
#include <cstdint>
#include <string>

namespace swabline::bench {

class Histogram {
 public:
  /// Records one value in microseconds (values above the top bucket are clamped into it).
  void Record(std::uint64_t micros);
  /// Adds every count of `other` into this one.
  void Merge(const Histogram& other);
  void Reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double Mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }

  /// The value below which `percent` % of the recorded values lie (percent in [0, 100]),
  /// reported as the middle of its bucket and never above the largest value recorded.
  /// 0 when nothing was recorded.
  std::uint64_t Percentile(double percent) const;

  /// "p50 1.23 ms  p90 …  p99 …  p99.9 …  max …".
  std::string Summary() const;

  /// The bucket a value falls in, and the [lowest, highest] values of a bucket (for tests).
  static std::size_t BucketOf(std::uint64_t micros);
  static std::uint64_t BucketLow(std::size_t bucket);
  static std::uint64_t BucketHigh(std::size_t bucket);

  static constexpr int kSubBits = 7;  // 128 sub-buckets per power of two
  static constexpr std::uint64_t kSub = 1ULL << kSubBits;
  static constexpr int kMaxExponent = 40;  // 2^40 µs ≈ 12.7 days: the top bucket
  static constexpr std::size_t kBuckets = kSub + (kMaxExponent - kSubBits + 1) * kSub;

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

/// Microseconds as "850 µs", "1.23 ms" or "2.5 s".
std::string FormatMicros(std::uint64_t micros);

}  // namespace swabline::bench
