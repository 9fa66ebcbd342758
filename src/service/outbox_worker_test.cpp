#include "service/outbox_worker.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/outbox.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using test::kStart;
constexpr core::Micros kSecond = 1'000'000;

/// Refuses the first `failures` sends, then accepts; remembers every id it accepted.
class FlakyAdapter : public OutboxAdapter {
 public:
  explicit FlakyAdapter(int failures, std::string name = "webhook")
      : failures_(failures), name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  SendOutcome Send(const OutboxMessage& m) override {
    std::lock_guard lock(mu_);
    ++sends_;
    if (failures_ > 0) {
      --failures_;
      return {false, "HTTP 500"};
    }
    accepted_.push_back(m.outbox_id);
    return {true, ""};
  }
  std::vector<std::int64_t> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  int sends() {
    std::lock_guard lock(mu_);
    return sends_;
  }

 private:
  std::mutex mu_;
  int failures_;
  std::string name_;
  int sends_ = 0;
  std::vector<std::int64_t> accepted_;
};

struct Counts {
  int delivered = 0;
  int failed = 0;
  std::int64_t pending = -1;
};

struct OutboxWorld {
  store::test::TestDb db;
  test::SettableClock clock{kStart};
  store::Writer writer{db.path()};
  store::ReaderPool readers{db.path(), 1};
  Counts counts;

  ~OutboxWorld() {
    readers.Stop();
    writer.Stop();
  }

  void AddMessages(int n) {
    writer.RunSync([&](store::Tx& tx) {
      for (int i = 0; i < n; ++i)
        store::AppendOutbox(tx, {"status_yellow", "resident", std::to_string(i + 1),
                                 "{\"incident_id\":1}", clock.Now()});
    });
  }

  OutboxObserver Observer() {
    return {[this](std::string_view) { ++counts.delivered; },
            [this](std::string_view) { ++counts.failed; },
            [this](std::string_view, const store::DeliveryBacklog& b, core::Micros) {
              counts.pending = b.pending;
            }};
  }

  std::unique_ptr<OutboxWorker> Worker(std::vector<std::unique_ptr<OutboxAdapter>> adapters,
                                       OutboxWorkerOptions options = Options()) {
    return std::make_unique<OutboxWorker>(writer, readers, clock, std::move(adapters), options,
                                          Observer());
  }

  static OutboxWorkerOptions Options() {
    OutboxWorkerOptions o;
    o.retry_base = kSecond;
    o.retry_cap = 4 * kSecond;
    o.jitter = 0;
    return o;
  }
};

std::vector<std::unique_ptr<OutboxAdapter>> One(std::unique_ptr<OutboxAdapter> a) {
  std::vector<std::unique_ptr<OutboxAdapter>> v;
  v.push_back(std::move(a));
  return v;
}

TEST(RetryDelay, DoublesFromTheBaseUpToTheCap) {
  EXPECT_EQ(RetryDelay(1, 100, 1000), 100);
  EXPECT_EQ(RetryDelay(2, 100, 1000), 200);
  EXPECT_EQ(RetryDelay(4, 100, 1000), 800);
  EXPECT_EQ(RetryDelay(5, 100, 1000), 1000);
  EXPECT_EQ(RetryDelay(60, 100, 1000), 1000);
}

TEST(OutboxWorker, DeliversEachMessageOnceThroughAnAdapterThatFailsTwiceFirst) {
  OutboxWorld w;
  auto adapter = std::make_unique<FlakyAdapter>(2);
  FlakyAdapter& flaky = *adapter;
  auto worker = w.Worker(One(std::move(adapter)));
  w.AddMessages(1);

  EXPECT_EQ(worker->RunOnce(), 1u);  // fails; due again in 1 s
  EXPECT_EQ(worker->RunOnce(), 0u);  // not yet due
  w.clock.Advance(kSecond);
  EXPECT_EQ(worker->RunOnce(), 1u);  // fails; due again in 2 s
  w.clock.Advance(kSecond);
  EXPECT_EQ(worker->RunOnce(), 0u);
  w.clock.Advance(kSecond);
  EXPECT_EQ(worker->RunOnce(), 1u);  // delivered
  w.clock.Advance(3600 * kSecond);
  EXPECT_EQ(worker->RunOnce(), 0u);  // never again

  EXPECT_EQ(flaky.accepted(), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(flaky.sends(), 3);
  EXPECT_EQ(w.counts.failed, 2);
  EXPECT_EQ(w.counts.delivered, 1);
  EXPECT_EQ(w.counts.pending, 0);
  EXPECT_EQ(w.db.Count("SELECT attempts FROM outbox_deliveries"), 3);
  EXPECT_EQ(w.db.Count("SELECT delivered_at FROM outbox_deliveries"), kStart + 3 * kSecond);
}

TEST(OutboxWorker, SendsToEveryAdapterApart) {
  OutboxWorld w;
  auto log = std::make_unique<FlakyAdapter>(0, "log");
  auto hook = std::make_unique<FlakyAdapter>(1, "webhook");
  FlakyAdapter& log_ref = *log;
  FlakyAdapter& hook_ref = *hook;
  std::vector<std::unique_ptr<OutboxAdapter>> adapters;
  adapters.push_back(std::move(log));
  adapters.push_back(std::move(hook));
  auto worker = w.Worker(std::move(adapters));
  w.AddMessages(3);
  worker->RunOnce();
  w.clock.Advance(kSecond);
  worker->RunOnce();
  EXPECT_EQ(log_ref.accepted(), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(hook_ref.accepted(), (std::vector<std::int64_t>{2, 3, 1}));
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM outbox_deliveries WHERE delivered_at IS NULL"), 0);
}

TEST(OutboxWorker, TakesOnMessagesWrittenLater) {
  OutboxWorld w;
  auto adapter = std::make_unique<FlakyAdapter>(0);
  FlakyAdapter& ref = *adapter;
  auto worker = w.Worker(One(std::move(adapter)));
  EXPECT_EQ(worker->RunOnce(), 0u);
  w.AddMessages(2);
  EXPECT_EQ(worker->RunOnce(), 2u);
  w.AddMessages(1);
  EXPECT_EQ(worker->RunOnce(), 1u);
  EXPECT_EQ(ref.accepted(), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(OutboxWorker, LogAdapterDeliversEveryMessage) {
  OutboxWorld w;
  auto worker = w.Worker(One(std::make_unique<LogAdapter>()));
  w.AddMessages(2);
  EXPECT_EQ(worker->RunOnce(), 2u);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM outbox_deliveries WHERE adapter = 'log' "
                       "AND delivered_at IS NOT NULL"),
            2);
}

/// Accepts every message, asking the worker to stop on the first.
class StopOnFirstSend : public OutboxAdapter {
 public:
  std::string_view name() const override { return "log"; }
  SendOutcome Send(const OutboxMessage&) override {
    if (worker) std::exchange(worker, nullptr)->Stop();
    return {true, ""};
  }
  OutboxWorker* worker = nullptr;
};

TEST(OutboxWorker, StoppingMidBatchFinishesTheSendAndMakesTheRestDueAgain) {
  OutboxWorld w;
  auto adapter = std::make_unique<StopOnFirstSend>();
  StopOnFirstSend& ref = *adapter;
  auto worker = w.Worker(One(std::move(adapter)));
  ref.worker = worker.get();
  w.AddMessages(3);
  EXPECT_EQ(worker->RunOnce(), 1u);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM outbox_deliveries WHERE delivered_at IS NOT NULL"), 1);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM outbox_deliveries WHERE delivered_at IS NULL "
                       "AND next_attempt_at = " +
                       std::to_string(kStart)),
            2);
}

TEST(OutboxWorker, ThreadDeliversWhenNudgedAndStopsCleanly) {
  OutboxWorld w;
  auto adapter = std::make_unique<FlakyAdapter>(0);
  FlakyAdapter& ref = *adapter;
  OutboxWorkerOptions options = OutboxWorld::Options();
  options.poll = 3600 * kSecond;  // only a nudge wakes it
  auto worker = w.Worker(One(std::move(adapter)), options);
  worker->Start();
  w.AddMessages(2);
  worker->Nudge();
  for (int i = 0; i < 500 && ref.accepted().size() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  worker->Stop();
  worker->Stop();
  EXPECT_EQ(ref.accepted(), (std::vector<std::int64_t>{1, 2}));
}

}  // namespace
}  // namespace swabline::service
