#pragma once
/// Prometheus counters kept in memory: requests by route and status, a latency histogram, and
/// the sizes of the writer's commit batches, whether the writer has failed, and the outbox's
/// deliveries per adapter. Thread-safe.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace swabline::http {

class Metrics {
 public:
  void ObserveRequest(std::string_view route, int status, double seconds);
  void ObserveBatch(std::size_t size);
  /// The writer refuses every write until restarted (store/writer.hpp).
  void SetWriterFailed() { writer_failed_ = true; }
  /// The outbox worker's news (service/outbox_worker.hpp), per adapter.
  void ObserveOutboxDelivered(std::string_view adapter);
  void ObserveOutboxFailed(std::string_view adapter);
  void SetOutboxBacklog(std::string_view adapter, std::int64_t pending, double oldest_age_seconds);
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kLatencyBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};
  static constexpr std::array<double, 10> kBatchBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::uint64_t, kLatencyBounds.size() + 1> latency_{};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
  std::array<std::uint64_t, kBatchBounds.size() + 1> batch_{};
  double batch_sum_ = 0;
  std::uint64_t batch_count_ = 0;
  std::atomic<bool> writer_failed_{false};
  struct Outbox {
    std::uint64_t delivered = 0;
    std::uint64_t failed_attempts = 0;
    std::int64_t pending = 0;
    double oldest_age_seconds = 0;
  };
  std::map<std::string, Outbox, std::less<>> outbox_;
  void RenderOutbox(std::string& out) const;
};

}  // namespace swabline::http
