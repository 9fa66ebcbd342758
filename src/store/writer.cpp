#include "store/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace swabline::store {

Writer::Writer(const std::string& path, std::size_t max_batch)
    : db_(path, OpenMode::kReadWrite), max_batch_(max_batch) {
  bool wal = false;
  {
    auto mode = db_.Query("PRAGMA journal_mode");
    wal = mode->Next() == Step::kRow && mode->Text(0) == "wal";
  }
  if (wal) {
    // The log is made durable by SyncLoop after every commit, before any job hears of it.
    // NORMAL drops only SQLite's own sync at COMMIT; it still syncs around checkpoints and
    // when the log is reused, which is what keeps the database itself whole.
    wal_path_ = path + "-wal";
    db_.Exec("PRAGMA synchronous=NORMAL");
  }  // else (no write-ahead log): synchronous=FULL stays, and each COMMIT syncs by itself
  sync_thread_ = std::thread([this] { SyncLoop(); });
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
  {
    std::lock_guard lock(sync_mu_);
    sync_stopping_ = true;
  }
  sync_cv_.notify_one();
  if (sync_thread_.joinable()) sync_thread_.join();
  if (wal_fd_ >= 0) {
    ::close(wal_fd_);
    wal_fd_ = -1;
  }
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
  std::vector<Settled> settled;
  settled.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i)
    settled.push_back({std::move(batch[i]), failed[i] ? std::optional(std::move(why[i])) : std::nullopt});
  HandOver(std::move(settled));
}

void Writer::HandOver(std::vector<Settled> settled) {
  {
    std::lock_guard lock(sync_mu_);
    if (to_sync_.empty()) {
      to_sync_ = std::move(settled);
    } else {
      for (auto& s : settled) to_sync_.push_back(std::move(s));
    }
  }
  sync_cv_.notify_one();
}

void Writer::SyncLoop() {
  std::vector<Settled> batch;
  // After a failed sync nothing more is acknowledged: the kernel may have dropped the pages
  // it could not write and report the next sync as a success (PostgreSQL's "fsyncgate").
  std::optional<std::string> broken;
  for (;;) {
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [this] { return sync_stopping_ || !to_sync_.empty(); });
      if (to_sync_.empty() && sync_stopping_) return;
      batch.swap(to_sync_);
    }
    // One sync for every batch committed so far: the log is appended to in order, and
    // fdatasync makes durable everything written to the file before it was called.
    if (!broken && !wal_path_.empty()) {
      if (wal_fd_ < 0) wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (wal_fd_ < 0) {
        broken = "cannot open the write-ahead log " + wal_path_ + ": " + std::strerror(errno);
      } else if (::fdatasync(wal_fd_) != 0) {
        broken = std::string("the write-ahead log could not be synced to disk: ") + std::strerror(errno);
      }
    }
    for (auto& s : batch) {
      if (broken) {
        s.job->Failed(*broken);
      } else if (s.failure) {
        s.job->Failed(*s.failure);
      } else {
        s.job->Committed();
      }
    }
    batch.clear();
  }
}

}  // namespace swabline::store
