#pragma once
/// Delivers the outbox (docs/outbreak.md, "Notifications"): a thread that, about once a
/// `poll` and promptly when nudged after a commit, takes new messages on for each adapter,
/// claims the due ones, sends each outside any transaction, and marks it delivered or failed
/// (retried with exponential backoff). Every write goes through the writer.
///
/// Exactly once per adapter as far as the database can tell: a row marked delivered is never
/// sent again. A crash between a send and its mark sends that message again after its claim's
/// lease runs out, so receivers de-duplicate on the message id (the webhook's
/// X-Swabline-Delivery header).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/civil_time.hpp"
#include "store/outbox_deliveries.hpp"
#include "store/reader_pool.hpp"
#include "store/writer.hpp"

namespace swabline::service {

using OutboxMessage = store::DueDelivery;

/// What became of one send: delivered, or the reason it was not (the worker retries).
struct SendOutcome {
  bool delivered = false;
  std::string error;
};

/// One way out for messages. Send is called on the worker thread only, one at a time.
class OutboxAdapter {
 public:
  virtual ~OutboxAdapter() = default;
  /// The adapter's name in outbox_deliveries and /metrics ("log", "webhook").
  virtual std::string_view name() const = 0;
  /// Sends one message; may block up to the adapter's own timeout.
  virtual SendOutcome Send(const OutboxMessage& message) = 0;
};

/// The default adapter: one structured log line per message.
class LogAdapter : public OutboxAdapter {
 public:
  std::string_view name() const override { return "log"; }
  SendOutcome Send(const OutboxMessage& message) override;
};

struct OutboxWorkerOptions {
  core::Micros poll = 1'000'000;
  /// The delay after the first failed attempt; it doubles with each further one up to the cap.
  core::Micros retry_base = 5'000'000;
  core::Micros retry_cap = 3600LL * 1'000'000;
  /// Each delay is shortened by up to this fraction at random, so that rows failing together
  /// do not retry together. 0 for none (tests).
  double jitter = 0.2;
  std::size_t batch = 100;
  /// How long a claimed row waits before it is due again when its mark never comes (a crash
  /// mid-send). Longer than any adapter's timeout.
  core::Micros lease = 60'000'000;
};

/// Tells /metrics what happens. Each member may be empty; all are called on the worker thread.
struct OutboxObserver {
  std::function<void(std::string_view adapter)> delivered;
  std::function<void(std::string_view adapter)> failed;
  std::function<void(std::string_view adapter, const store::DeliveryBacklog& backlog,
                     core::Micros now)>
      backlog;
};

/// The wait before attempt `failed_attempts + 1`: base * 2^(failed_attempts - 1), at most cap.
core::Micros RetryDelay(int failed_attempts, core::Micros base, core::Micros cap);

class OutboxWorker {
 public:
  /// REQUIRES: writer, readers and clock outlive the worker; adapters have distinct names.
  OutboxWorker(store::Writer& writer, store::ReaderPool& readers, const core::Clock& clock,
               std::vector<std::unique_ptr<OutboxAdapter>> adapters, OutboxWorkerOptions options,
               OutboxObserver observer = {});
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  /// Starts the polling thread.
  void Start();
  /// Asks for a round soon (after a commit that may have written messages). Thread-safe.
  void Nudge();
  /// Stops polling: the send in flight finishes and is marked, the rest of its claimed batch
  /// is made due again, and the thread is joined. Idempotent; call before the writer stops.
  void Stop();
  /// One round on the calling thread (tests; not while the thread runs). Returns the sends
  /// made, delivered or not. Storage failures pass through.
  std::size_t RunOnce();

 private:
  std::size_t RunAdapter(std::size_t index);
  void Enqueue(std::size_t index, core::Micros now);
  void Deliver(OutboxAdapter& adapter, const OutboxMessage& message);
  void Loop();

  store::Writer& writer_;
  store::ReaderPool& readers_;
  const core::Clock& clock_;
  std::vector<std::unique_ptr<OutboxAdapter>> adapters_;
  std::vector<std::int64_t> enqueued_;  // per adapter, the highest outbox id taken on
  OutboxWorkerOptions options_;
  OutboxObserver observer_;
  std::minstd_rand random_{std::random_device{}()};

  std::mutex mu_;
  std::condition_variable cv_;
  bool nudged_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace swabline::service
