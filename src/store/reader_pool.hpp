#pragma once
/// Reads run on their own connections (WAL snapshots), off the writer: most on the pool's
/// threads, short ones on the caller's thread (RunHere).

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

/// A fixed set of threads, each owning a read-only connection, plus spare read-only
/// connections lent to callers that read on their own thread. Thread-safe.
class ReaderPool {
 public:
  using Job = std::function<void(Connection&)>;

  /// Opens every connection before returning, so a bad path fails here, not in a thread.
  ReaderPool(std::string path, std::size_t threads);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  /// Queues `job`; it runs on one of the pool's threads. Jobs catch their own exceptions:
  /// one that escapes is reported on stderr and the job is lost, but the thread goes on.
  /// Throws std::runtime_error after Stop().
  void Submit(Job job);

  /// Runs `fn(Connection&)` on the pool and waits for its result.
  template <typename Fn>
  auto RunSync(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::packaged_task<R(Connection&)> task(std::move(fn));
    auto f = task.get_future();
    Submit([&task](Connection& c) { task(c); });
    return f.get();
  }

  /// Runs `fn(Connection&)` at once on the calling thread, on a spare connection (a new one
  /// is opened when every spare is in use, so there are as many as callers at once), and
  /// returns its result. For reads of a few index look-ups, where waking a pool thread and
  /// hopping back costs more than the read itself. Exceptions pass through.
  template <typename Fn>
  auto RunHere(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    SpareLease lease(*this);
    return fn(*lease.db);
  }

  void Stop();

 private:
  struct SpareLease {
    explicit SpareLease(ReaderPool& p) : pool(p), db(p.TakeSpare()) {}
    ~SpareLease() { pool.ReturnSpare(std::move(db)); }
    SpareLease(const SpareLease&) = delete;
    SpareLease& operator=(const SpareLease&) = delete;
    ReaderPool& pool;
    std::unique_ptr<Connection> db;
  };

  void Loop(Connection& db);
  std::unique_ptr<Connection> TakeSpare();
  void ReturnSpare(std::unique_ptr<Connection> db);

  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::thread> threads_;
  std::mutex spare_mu_;  // guards spare_ only; never held while reading
  std::vector<std::unique_ptr<Connection>> spare_;
};

}  // namespace swabline::store
