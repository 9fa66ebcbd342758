#include "store/writer.hpp"

#include <sqlite3.h>

namespace swabline::store {
namespace {

/// Runs one of the batch's own statements through the connection's statement cache: they run
/// once or twice per job, and Exec (sqlite3_exec) would parse and plan them afresh each time.
/// None of them has a constraint to refuse; a refusal would be SQLite's bug.
void RunCached(Connection& db, std::string_view sql) { db.Query(sql)->RunOrThrow(); }

bool InTransaction(Connection& db) { return db.InTransaction(); }

/// A StoreError that is the storage's fault rather than the job's (a bug).
bool IsStorageFault(const StoreError& e) { return ErrorOf(e).code != core::ErrorCode::kInternal; }

/// The database itself says it is damaged: nothing more may be written to it.
bool IsCorruption(const StoreError& e) {
  const int primary = e.code() & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

core::Error Internal(std::string detail) { return {core::ErrorCode::kInternal, std::move(detail)}; }

/// Answers a job; a throwing answer is the job's bug and must not take the writer down.
template <typename Fn>
void Answer(Fn&& fn) {
  try {
    fn();
  } catch (...) {
    // Nothing to tell: the job had its answer, and failed to deliver it.
  }
}

}  // namespace

Writer::Writer(const std::string& path, std::size_t max_batch)
    : db_(path, OpenMode::kReadWrite), max_batch_(max_batch) {
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() { Stop(); }

void Writer::Submit(std::unique_ptr<WriteJob> job) {
  std::optional<core::Error> refused;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      refused = core::Error(core::ErrorCode::kStorageUnavailable, "the server is shutting down");
    } else if (failed_) {
      refused = failure_;
    }
    if (!refused) {
      queue_.push_back(std::move(job));
      job = nullptr;  // queued: the writer thread owns it now
    }
  }
  if (job) return job->Failed(*refused);
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
  Batch batch;
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

void Writer::RunBatch(Batch& batch) {
  if (failed_) {
    core::Error cause;
    {
      std::lock_guard lock(mu_);
      cause = failure_;
    }
    for (auto& job : batch) Answer([&] { job->Failed(cause); });
    return;
  }
  std::vector<std::optional<core::Error>> errors(batch.size());
  if (auto fault = RunJobs(batch, errors)) return Abandon(batch, std::move(*fault));
  try {
    RunCached(db_, "COMMIT");
  } catch (const StoreError& e) {
    // A full disk or a held lock stopped the commit before anything of it counted. Any other
    // failure (an fsync above all) leaves it unknown whether the batch is on disk.
    const int primary = e.code() & 0xff;
    const bool known = primary == SQLITE_FULL || primary == SQLITE_BUSY;
    return Abandon(batch, {ErrorOf(e), !known});
  }
  if (observer_) observer_(batch.size());
  if (!staged_.empty()) {
    if (event_sink_) Answer([&] { event_sink_(staged_); });
    staged_.clear();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Answer([&] {
      if (errors[i]) {
        batch[i]->Failed(*errors[i]);
      } else {
        batch[i]->Committed();
      }
    });
  }
}

std::optional<Writer::Fault> Writer::RunJobs(Batch& batch,
                                             std::vector<std::optional<core::Error>>& errors) {
  try {
    audit_head_.reset();
    RunCached(db_, "BEGIN IMMEDIATE");
    Tx tx(db_, event_sink_ ? &staged_ : nullptr, &audit_head_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      RunCached(db_, "SAVEPOINT job");
      const std::size_t staged_before = staged_.size();
      bool keep = false;
      try {
        keep = batch[i]->Run(tx);
      } catch (const StoreError& e) {
        if (IsStorageFault(e)) return Fault{ErrorOf(e), IsCorruption(e)};
        errors[i] = Internal(e.what());
      } catch (const std::exception& e) {
        errors[i] = Internal(e.what());
      } catch (...) {
        // A job's bug must not take the writer thread, and every later write, down with it.
        errors[i] = Internal("a write job threw a non-standard exception");
      }
      // SQLite may have rolled the whole transaction back under the job (a full disk, an I/O
      // error), even if the job caught the error: the savepoints before it are gone too.
      if (!InTransaction(db_))
        return Fault{{core::ErrorCode::kStorageUnavailable,
                      "the database rolled the batch back (storage failed)"},
                     false};
      if (!keep) {
        staged_.resize(staged_before);  // what a rolled-back job published never happened
        audit_head_.reset();            // nor what it audited
        RunCached(db_, "ROLLBACK TO job");
      }
      RunCached(db_, "RELEASE job");
    }
  } catch (const StoreError& e) {
    // BEGIN, SAVEPOINT, ROLLBACK TO or RELEASE failed: none of them can be the job's fault.
    return Fault{ErrorOf(e).code == core::ErrorCode::kInternal
                     ? core::Error(core::ErrorCode::kStorageUnavailable, e.what())
                     : ErrorOf(e),
                 IsCorruption(e)};
  }
  return std::nullopt;
}

void Writer::Abandon(Batch& batch, Fault fault) {
  staged_.clear();
  audit_head_.reset();
  if (InTransaction(db_)) {
    try {
      RunCached(db_, "ROLLBACK");
    } catch (const StoreError&) {
      // The transaction can be neither kept nor ended: the connection is not to be trusted.
      fault = {{core::ErrorCode::kStorageUnavailable, "the batch could not be rolled back"}, true};
    }
  }
  if (fault.sticky) FailForGood(fault.error);
  for (auto& job : batch) Answer([&] { job->Failed(fault.error); });
}

void Writer::FailForGood(const core::Error& cause) {
  {
    std::lock_guard lock(mu_);
    if (failed_) return;
    failure_ = {core::ErrorCode::kStorageUnavailable,
                "writes are refused until the server restarts: " + cause.detail};
    failed_ = true;
  }
  if (failure_observer_) Answer([&] { failure_observer_(cause); });
}

}  // namespace swabline::store
