#pragma once
/// Reads run on their own connections (WAL snapshots), off the IO threads and off the writer.

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite.hpp"

namespace swabline::store {

/// A fixed set of threads, each owning a read-only connection. Thread-safe.
class ReaderPool {
 public:
  using Job = std::function<void(Connection&)>;

  /// Opens every connection before returning, so a bad path fails here, not in a thread.
  ReaderPool(const std::string& path, std::size_t threads);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  /// Queues `job`; it runs on one of the pool's threads. Jobs catch their own exceptions.
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

  void Stop();

 private:
  void Loop(Connection& db);

  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::thread> threads_;
};

}  // namespace swabline::store
