#include "store/reader_pool.hpp"

#include <cstdio>
#include <stdexcept>
#include <utility>

namespace swabline::store {

ReaderPool::ReaderPool(std::string path, std::size_t threads) : path_(std::move(path)) {
  for (std::size_t i = 0; i < threads; ++i)
    connections_.push_back(std::make_unique<Connection>(path_, OpenMode::kReadOnly));
  for (auto& c : connections_) threads_.emplace_back([this, db = c.get()] { Loop(*db); });
}

ReaderPool::~ReaderPool() { Stop(); }

void ReaderPool::Submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw std::runtime_error("the reader pool has stopped");
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void ReaderPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::unique_ptr<Connection> ReaderPool::TakeSpare() {
  {
    std::lock_guard lock(spare_mu_);
    if (!spare_.empty()) {
      auto db = std::move(spare_.back());
      spare_.pop_back();
      return db;
    }
  }
  return std::make_unique<Connection>(path_, OpenMode::kReadOnly);
}

void ReaderPool::ReturnSpare(std::unique_ptr<Connection> db) {
  std::lock_guard lock(spare_mu_);
  spare_.push_back(std::move(db));
}

void ReaderPool::Loop(Connection& db) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job(db);
    } catch (const std::exception& e) {
      // A job that lets an exception out is a bug (App's jobs answer 500 themselves); one
      // lost job is better than std::terminate taking every request of the process with it.
      std::fprintf(stderr, "a reader job threw: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "a reader job threw something other than a std::exception\n");
    }
  }
}

}  // namespace swabline::store
