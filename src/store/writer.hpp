#pragma once
/// Group commit (docs/architecture.md, "Group commit"): one thread owns the write connection,
/// gathers the use cases waiting for it, runs each in its own savepoint inside a single
/// transaction, commits once, and only then tells each job it is durable.
///
/// Storage failures never end the process, and never half-apply a batch. Every job of a
/// batch that meets one is answered Failed, with kBusy or kStorageUnavailable (both 503 with
/// Retry-After), and nothing of the batch is kept:
/// - The lock stays taken (SQLITE_BUSY: another process such as `swabline import` writes),
///   the disk is full (SQLITE_FULL), a write fails before COMMIT (SQLITE_IOERR), or SQLite
///   rolls the transaction back on its own (seen by sqlite3_get_autocommit after any job):
///   the batch is rolled back and fails whole; the next batch tries afresh, so the writer
///   recovers by itself once space frees or the lock is released.
/// - COMMIT fails other than by SQLITE_FULL or SQLITE_BUSY (a failed fsync, an I/O error
///   while writing the WAL), the database reports corruption, or a rollback fails: whether the
///   batch is on disk is unknown (after a failed fsync the kernel may have dropped the pages
///   and reports success next time). The writer then fails for good, like LevelDB's
///   background error: every later write is refused with kStorageUnavailable until the process
///   restarts and SQLite's recovery reads the database afresh. failed() tells, and the failure
///   observer hears of it once.
/// A job that throws anything else (a bug, a refused constraint) fails alone with kInternal;
/// its savepoint is rolled back and the rest of the batch commits.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "store/connection.hpp"

namespace swabline::store {

/// One unit of write work. Run() is called on the writer thread inside a savepoint; it
/// returns true to keep its changes, false to have them rolled back (an expected failure).
/// Exactly one of Committed() or Failed() follows, on the writer thread (or, for a writer
/// that has stopped or failed for good, at once in Submit), once the batch's fate is known.
/// Implementations must be quick in all three: they block every other write.
class WriteJob {
 public:
  virtual ~WriteJob() = default;
  virtual bool Run(Tx& tx) = 0;
  virtual void Committed() = 0;
  /// Nothing of this job was kept. kBusy or kStorageUnavailable: the batch met a storage
  /// failure (see above); kInternal: Run threw, which is a bug.
  virtual void Failed(const core::Error& error) = 0;
};

/// What a RunSync caller gets when its job failed without throwing itself (a storage failure).
class WriteFailed : public std::runtime_error {
 public:
  explicit WriteFailed(core::Error error)
      : std::runtime_error(error.detail), error_(std::move(error)) {}
  const core::Error& error() const { return error_; }

 private:
  core::Error error_;
};

/// Observes batch sizes (for /metrics). Called on the writer thread after each commit.
using BatchObserver = std::function<void(std::size_t batch_size)>;
/// Hears of the events a committed batch's jobs published (Tx::Publish), in their order.
/// Called on the writer thread after the commit, before any job is answered.
using EventSink = std::function<void(std::span<const core::LiveEvent>)>;
/// Hears once that the writer failed for good, with the cause. Called on the writer thread.
using FailureObserver = std::function<void(const core::Error& cause)>;

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

  /// Set both observers before the first Submit.
  void SetBatchObserver(BatchObserver observer) { observer_ = std::move(observer); }
  void SetFailureObserver(FailureObserver observer) { failure_observer_ = std::move(observer); }
  /// Without a sink, Tx::Publish drops its events. Set before the first Submit.
  void SetEventSink(EventSink sink) { event_sink_ = std::move(sink); }
  /// True once the writer refuses every write until restarted (see above).
  bool failed() const { return failed_.load(); }
  /// Stops after the queued jobs have run. Idempotent.
  void Stop();

 private:
  using Batch = std::deque<std::unique_ptr<WriteJob>>;
  /// Why a batch is given up whole; `sticky` when the database can no longer be trusted.
  struct Fault {
    core::Error error;
    bool sticky = false;
  };

  void Loop();
  void RunBatch(Batch& batch);
  /// Runs each job in its savepoint; a job that threw a bug gets its error in `errors`. Returns
  /// the fault that ended the batch early, if any.
  std::optional<Fault> RunJobs(Batch& batch, std::vector<std::optional<core::Error>>& errors);
  /// Rolls back what is left of the transaction and fails every job with `fault`.
  void Abandon(Batch& batch, Fault fault);
  void FailForGood(const core::Error& cause);

  Connection db_;
  std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<WriteJob>> queue_;
  bool stopping_ = false;
  std::atomic<bool> failed_{false};
  core::Error failure_;  // guarded by mu_; set once, with failed_
  BatchObserver observer_;
  FailureObserver failure_observer_;
  EventSink event_sink_;
  /// The events the running batch's kept jobs published; writer thread only. Reused, so a
  /// steady load publishes without allocating.
  std::vector<core::LiveEvent> staged_;
  /// The audit chain's head within the open batch (Tx, AppendAudit); empty after BEGIN and
  /// after any rollback, when it is read back from the table.
  std::optional<AuditChainHead> audit_head_;
  std::thread thread_;
};

namespace detail {
/// Where a RunSync job leaves its answer: in the caller's frame, not in the job, and handed
/// over under a mutex. The writer thread destroys the job after answering, and std::promise
/// copies the exception_ptr it is given, so the writer's copy was released after the caller
/// could already have caught and freed the exception; the two synchronised only through
/// libstdc++'s uninstrumented reference count, which ThreadSanitizer reports as a race. Here
/// the writer thread touches nothing of the answer after it signals.
template <typename R>
struct SyncSlot {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
  std::exception_ptr error;

  void Finish() {
    // Notified under the lock: once the caller sees done it destroys the slot, cv included.
    std::lock_guard lock(mu);
    done = true;
    cv.notify_one();
  }
  R Take() {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return done; });
    if (error) std::rethrow_exception(std::move(error));
    if constexpr (!std::is_void_v<R>) return std::move(*value);
  }
};

template <typename Fn, typename R>
class SyncJob : public WriteJob {
 public:
  SyncJob(Fn fn, SyncSlot<R>& slot) : fn_(std::move(fn)), slot_(slot) {}
  bool Run(Tx& tx) override {
    try {
      if constexpr (std::is_void_v<R>) {
        fn_(tx);
      } else {
        slot_.value.emplace(fn_(tx));
      }
      return true;
    } catch (...) {
      slot_.error = std::current_exception();
      throw;
    }
  }
  void Committed() override { slot_.Finish(); }
  void Failed(const core::Error& error) override {
    if (!slot_.error) slot_.error = std::make_exception_ptr(WriteFailed(error));
    slot_.Finish();
  }

 private:
  Fn fn_;
  SyncSlot<R>& slot_;
};
}  // namespace detail

template <typename Fn>
auto Writer::RunSync(Fn fn) -> decltype(fn(std::declval<Tx&>())) {
  using R = decltype(fn(std::declval<Tx&>()));
  detail::SyncSlot<R> slot;
  Submit(std::make_unique<detail::SyncJob<Fn, R>>(std::move(fn), slot));
  return slot.Take();
}

}  // namespace swabline::store
