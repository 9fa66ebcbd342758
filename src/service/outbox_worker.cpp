#include "service/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace swabline::service {
namespace {

constexpr std::chrono::microseconds kMinGap{20'000};

}  // namespace

SendOutcome LogAdapter::Send(const OutboxMessage& m) {
  spdlog::info("outbox id={} event={} recipient_kind={} recipient={} created_at={} payload={}",
               m.outbox_id, m.event, m.recipient_kind, m.recipient,
               core::FormatRfc3339(m.created_at), m.payload);
  return {true, ""};
}

core::Micros RetryDelay(int failed_attempts, core::Micros base, core::Micros cap) {
  core::Micros delay = std::max<core::Micros>(base, 1);
  for (int i = 1; i < failed_attempts && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

OutboxWorker::OutboxWorker(store::Writer& writer, store::ReaderPool& readers,
                           const core::Clock& clock,
                           std::vector<std::unique_ptr<OutboxAdapter>> adapters,
                           OutboxWorkerOptions options, OutboxObserver observer)
    : writer_(writer),
      readers_(readers),
      clock_(clock),
      adapters_(std::move(adapters)),
      enqueued_(adapters_.size(), 0),
      options_(options),
      observer_(std::move(observer)) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  cv_.notify_one();
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Loop() {
  const auto poll = std::chrono::microseconds(options_.poll);
  while (!stopping_) {
    try {
      RunOnce();
    } catch (const std::exception& e) {
      // Storage trouble (busy, full disk): the rows stay as they were; try next round.
      spdlog::warn("outbox: delivery round failed: {}", e.what());
    }
    // However often commits nudge (a busy server commits hundreds of times a second), at most
    // one round per kMinGap.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::min(poll, kMinGap), [this] { return stopping_.load(); });
    cv_.wait_for(lock, poll - std::min(poll, kMinGap), [this] { return stopping_ || nudged_; });
    nudged_ = false;
  }
}

std::size_t OutboxWorker::RunOnce() {
  std::size_t sent = 0;
  for (std::size_t i = 0; i < adapters_.size() && !stopping_; ++i) sent += RunAdapter(i);
  if (observer_.backlog) {
    const core::Micros now = clock_.Now();
    for (const auto& adapter : adapters_) {
      const std::string name(adapter->name());
      observer_.backlog(
          name, readers_.RunHere([&](store::Connection& db) { return store::Backlog(db, name); }),
          now);
    }
  }
  return sent;
}

void OutboxWorker::Enqueue(std::size_t index, core::Micros now) {
  // A read decides whether there is anything new, so an idle round never takes the writer.
  const std::int64_t last =
      readers_.RunHere([](store::Connection& db) { return store::LastOutboxId(db); });
  if (last <= enqueued_[index]) return;
  const std::string name(adapters_[index]->name());
  enqueued_[index] = writer_.RunSync([&](store::Tx& tx) {
    store::EnqueueDeliveries(tx, name, now);
    return store::LastEnqueued(tx.db(), name);
  });
}

std::size_t OutboxWorker::RunAdapter(std::size_t index) {
  OutboxAdapter& adapter = *adapters_[index];
  const std::string name(adapter.name());
  const core::Micros now = clock_.Now();
  Enqueue(index, now);
  if (!readers_.RunHere([&](store::Connection& db) { return store::AnyDue(db, name, now); }))
    return 0;
  const std::vector<OutboxMessage> claimed = writer_.RunSync([&](store::Tx& tx) {
    return store::ClaimDue(tx, name, now, options_.batch, now + options_.lease);
  });
  std::size_t sent = 0;
  for (; sent < claimed.size() && !stopping_; ++sent) Deliver(adapter, claimed[sent]);
  if (sent < claimed.size()) {
    // Stopping: what was claimed but not sent is due again at once, for the next start.
    std::vector<std::int64_t> rest;
    for (std::size_t i = sent; i < claimed.size(); ++i) rest.push_back(claimed[i].outbox_id);
    writer_.RunSync([&](store::Tx& tx) { store::ReleaseClaims(tx, name, rest, clock_.Now()); });
  }
  return sent;
}

void OutboxWorker::Deliver(OutboxAdapter& adapter, const OutboxMessage& message) {
  const std::string name(adapter.name());
  SendOutcome outcome;
  try {
    outcome = adapter.Send(message);
  } catch (const std::exception& e) {
    outcome = {false, e.what()};
  }
  const core::Micros now = clock_.Now();
  if (outcome.delivered) {
    writer_.RunSync([&](store::Tx& tx) { store::MarkDelivered(tx, name, message.outbox_id, now); });
    if (observer_.delivered) observer_.delivered(name);
    return;
  }
  core::Micros delay = RetryDelay(message.attempts + 1, options_.retry_base, options_.retry_cap);
  if (options_.jitter > 0) {
    std::uniform_real_distribution<double> cut(0, options_.jitter);
    delay -= static_cast<core::Micros>(static_cast<double>(delay) * cut(random_));
  }
  spdlog::warn("outbox: {} could not deliver message {} (attempt {}): {}; retrying in {} ms", name,
               message.outbox_id, message.attempts + 1, outcome.error, delay / 1000);
  writer_.RunSync([&](store::Tx& tx) {
    store::MarkFailed(tx, name, message.outbox_id, outcome.error, now + delay);
  });
  if (observer_.failed) observer_.failed(name);
}

}  // namespace swabline::service
