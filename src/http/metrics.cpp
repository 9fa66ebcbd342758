#include "http/metrics.hpp"

#include <fmt/format.h>

namespace swabline::http {
namespace {

template <std::size_t N>
void Bucket(const std::array<double, N>& bounds, std::array<std::uint64_t, N + 1>& counts,
            double value) {
  std::size_t i = 0;
  while (i < N && value > bounds[i]) ++i;
  ++counts[i];
}

template <std::size_t N>
void RenderHistogram(std::string& out, std::string_view name, const std::array<double, N>& bounds,
                     const std::array<std::uint64_t, N + 1>& counts, double sum,
                     std::uint64_t count) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < N; ++i) {
    cumulative += counts[i];
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i], cumulative);
  }
  cumulative += counts[N];
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", name, cumulative,
                     name, sum, name, count);
}

}  // namespace

void Metrics::ObserveRequest(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), status}];
  Bucket(kLatencyBounds, latency_, seconds);
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::ObserveBatch(std::size_t size) {
  std::lock_guard lock(mu_);
  Bucket(kBatchBounds, batch_, static_cast<double>(size));
  batch_sum_ += static_cast<double>(size);
  ++batch_count_;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP swabline_http_requests_total HTTP requests by route pattern and status.\n";
  out += "# TYPE swabline_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("swabline_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, n);
  out += "# HELP swabline_http_request_duration_seconds Time from request read to reply.\n";
  out += "# TYPE swabline_http_request_duration_seconds histogram\n";
  RenderHistogram(out, "swabline_http_request_duration_seconds", kLatencyBounds, latency_,
                  latency_sum_, latency_count_);
  out += "# HELP swabline_db_commit_batch_size Use cases committed together in one transaction.\n";
  out += "# TYPE swabline_db_commit_batch_size histogram\n";
  RenderHistogram(out, "swabline_db_commit_batch_size", kBatchBounds, batch_, batch_sum_,
                  batch_count_);
  out += "# HELP swabline_writer_failed 1 when the writer refuses every write until restarted.\n";
  out += "# TYPE swabline_writer_failed gauge\n";
  out += fmt::format("swabline_writer_failed {}\n", writer_failed_ ? 1 : 0);
  RenderOutbox(out);
  return out;
}

void Metrics::ObserveOutboxDelivered(std::string_view adapter) {
  std::lock_guard lock(mu_);
  ++outbox_[std::string(adapter)].delivered;
}

void Metrics::ObserveOutboxFailed(std::string_view adapter) {
  std::lock_guard lock(mu_);
  ++outbox_[std::string(adapter)].failed_attempts;
}

void Metrics::SetOutboxBacklog(std::string_view adapter, std::int64_t pending,
                               double oldest_age_seconds) {
  std::lock_guard lock(mu_);
  Outbox& o = outbox_[std::string(adapter)];
  o.pending = pending;
  o.oldest_age_seconds = oldest_age_seconds;
}

void Metrics::RenderOutbox(std::string& out) const {
  struct Family {
    std::string_view name, type, help;
    double (*value)(const Outbox&);
  };
  static constexpr Family kFamilies[] = {
      {"swabline_outbox_delivered_total", "counter", "Outbox messages delivered, by adapter.",
       [](const Outbox& o) { return static_cast<double>(o.delivered); }},
      {"swabline_outbox_failed_attempts_total", "counter",
       "Outbox delivery attempts that failed and will be retried, by adapter.",
       [](const Outbox& o) { return static_cast<double>(o.failed_attempts); }},
      {"swabline_outbox_pending", "gauge", "Outbox messages not yet delivered, by adapter.",
       [](const Outbox& o) { return static_cast<double>(o.pending); }},
      {"swabline_outbox_oldest_pending_age_seconds", "gauge",
       "Age of the oldest outbox message not yet delivered (0 when none), by adapter.",
       [](const Outbox& o) { return o.oldest_age_seconds; }},
  };
  for (const Family& f : kFamilies) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& [adapter, o] : outbox_)
      out += fmt::format("{}{{adapter=\"{}\"}} {}\n", f.name, adapter, f.value(o));
  }
}

}  // namespace swabline::http
