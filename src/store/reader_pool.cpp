#include "store/reader_pool.hpp"

namespace swabline::store {

ReaderPool::ReaderPool(const std::string& path, std::size_t threads) : path_(path) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Loop(i); });
}

ReaderPool::~ReaderPool() { Stop(); }

void ReaderPool::Submit(Job job) {
  {
    std::lock_guard lock(mu_);
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

void ReaderPool::Loop(std::size_t) {
  Connection db(path_, OpenMode::kReadOnly);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job(db);
  }
}

}  // namespace swabline::store
