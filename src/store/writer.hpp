#pragma once
/// Group commit (DESIGN.md, "Writes that keep up with a city"): one thread owns the write
/// connection, gathers the use cases waiting for it, runs each in its own savepoint inside a
/// single transaction, commits once, and only then tells each job it is durable.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <type_traits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite.hpp"

namespace swabline::store {

/// One unit of write work. Run() is called on the writer thread inside a savepoint; it
/// returns true to keep its changes, false to have them rolled back (an expected failure).
/// Exactly one of Committed() or Failed() follows, on the writer thread, once the batch's
/// fate is known. Implementations must be quick in all three: they block every other write.
class WriteJob {
 public:
  virtual ~WriteJob() = default;
  virtual bool Run(Tx& tx) = 0;
  virtual void Committed() = 0;
  /// The batch could not be made durable, or Run threw: nothing of this job was kept.
  virtual void Failed(const std::string& why) = 0;
};

/// Observes batch sizes (for /metrics). Called on the writer thread after each commit.
using BatchObserver = std::function<void(std::size_t batch_size)>;

/// Thread-safe: Submit may be called from any thread.
class Writer {
 public:
  /// Opens its own connection to `path`. `max_batch` bounds the work held in one transaction.
  explicit Writer(const std::string& path, std::size_t max_batch = 512);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(std::unique_ptr<WriteJob> job);
  /// Runs `fn` on the writer thread in its own batch and waits for it; for commands and
  /// tests. Returns fn's result; rethrows its exception.
  template <typename Fn>
  auto RunSync(Fn fn) -> decltype(fn(std::declval<Tx&>()));

  void SetBatchObserver(BatchObserver observer) { observer_ = std::move(observer); }
  /// Stops after the queued jobs have run. Idempotent.
  void Stop();

 private:
  void Loop();
  void RunBatch(std::deque<std::unique_ptr<WriteJob>>& batch);

  Connection db_;
  std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<WriteJob>> queue_;
  bool stopping_ = false;
  BatchObserver observer_;
  std::thread thread_;
};

namespace detail {
template <typename Fn, typename R>
class SyncJob : public WriteJob {
 public:
  SyncJob(Fn fn, std::promise<R>& p) : fn_(std::move(fn)), p_(p) {}
  bool Run(Tx& tx) override {
    try {
      if constexpr (std::is_void_v<R>) {
        fn_(tx);
      } else {
        value_.emplace(fn_(tx));
      }
      return true;
    } catch (...) {
      error_ = std::current_exception();
      throw;
    }
  }
  void Committed() override {
    if constexpr (std::is_void_v<R>) {
      p_.set_value();
    } else {
      p_.set_value(std::move(*value_));
    }
  }
  void Failed(const std::string& why) override {
    p_.set_exception(error_ ? error_ : std::make_exception_ptr(StoreError(0, why)));
  }

 private:
  Fn fn_;
  std::promise<R>& p_;
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value_{};
  std::exception_ptr error_;
};
}  // namespace detail

template <typename Fn>
auto Writer::RunSync(Fn fn) -> decltype(fn(std::declval<Tx&>())) {
  using R = decltype(fn(std::declval<Tx&>()));
  std::promise<R> p;
  auto f = p.get_future();
  Submit(std::make_unique<detail::SyncJob<Fn, R>>(std::move(fn), p));
  return f.get();
}

}  // namespace swabline::store
