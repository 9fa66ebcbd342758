#include "store/writer.hpp"

namespace swabline::store {

Writer::Writer(const std::string& path, std::size_t max_batch)
    : db_(path, OpenMode::kReadWrite), max_batch_(max_batch) {
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() { Stop(); }

void Writer::Submit(std::unique_ptr<WriteJob> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      job->Failed("the server is shutting down");
      return;
    }
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Writer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Writer::Loop() {
  std::deque<std::unique_ptr<WriteJob>> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      // Take what is waiting, no more: a lone request is never held back to fill a batch;
      // under load the queue fills while the previous commit's fsync runs.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

namespace {

/// Runs one of the batch's own statements through the connection's statement cache: they run
/// once or twice per job, and Exec (sqlite3_exec) would parse and plan them afresh each time.
void RunCached(Connection& db, std::string_view sql) {
  auto q = db.Query(sql);
  q->Run();
}

}  // namespace

void Writer::RunBatch(std::deque<std::unique_ptr<WriteJob>>& batch) {
  std::vector<bool> failed(batch.size(), false);
  std::vector<std::string> why(batch.size());
  try {
    RunCached(db_, "BEGIN IMMEDIATE");
  } catch (const StoreError& e) {
    for (auto& job : batch) job->Failed(e.what());
    return;
  }
  Tx tx(db_);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    RunCached(db_, "SAVEPOINT job");
    bool keep = false;
    try {
      keep = batch[i]->Run(tx);
    } catch (const std::exception& e) {
      failed[i] = true;
      why[i] = e.what();
    } catch (...) {
      // A job's bug must not take the writer thread, and every later write, down with it.
      failed[i] = true;
      why[i] = "a write job threw a non-standard exception";
    }
    if (!keep) RunCached(db_, "ROLLBACK TO job");
    RunCached(db_, "RELEASE job");
  }
  try {
    RunCached(db_, "COMMIT");
  } catch (const StoreError& e) {
    try {
      RunCached(db_, "ROLLBACK");
    } catch (const StoreError&) {
      // The transaction may already be gone; nothing more to undo.
    }
    for (auto& job : batch) job->Failed(e.what());
    return;
  }
  if (observer_) observer_(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (failed[i]) {
      batch[i]->Failed(why[i]);
    } else {
      batch[i]->Committed();
    }
  }
}

}  // namespace swabline::store
