#pragma once
/// For the writer's tests only: jobs that add notes, what became of each, a gate that holds
/// the writer so that later jobs gather into one batch, and a database with a notes table.

#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/connection.hpp"
#include "store/writer.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store::test {

inline bool AddNote(Tx& tx, std::string_view text) {
  auto q = tx.Query("INSERT INTO notes(text) VALUES (?)");
  q->Bind(1, text);
  return q->Run();
}

/// What became of one job: "committed", or "failed: " and the reason. Set on the writer thread.
class Outcome {
 public:
  void Set(std::string what) { promise_.set_value(std::move(what)); }
  void Fail(const core::Error& error) {
    code_ = error.code;
    Set("failed: " + error.detail);
  }
  std::string Wait() { return future_.get(); }
  /// The failed job's error code; kInternal for a job that committed. After Wait.
  core::ErrorCode code() const { return code_; }

 private:
  core::ErrorCode code_ = core::ErrorCode::kInternal;
  std::promise<std::string> promise_;
  std::future<std::string> future_ = promise_.get_future();
};

class FnJob : public WriteJob {
 public:
  FnJob(std::function<bool(Tx&)> run, Outcome& outcome) : run_(std::move(run)), outcome_(outcome) {}
  bool Run(Tx& tx) override { return run_(tx); }
  void Committed() override { outcome_.Set("committed"); }
  void Failed(const core::Error& error) override { outcome_.Fail(error); }

 private:
  std::function<bool(Tx&)> run_;
  Outcome& outcome_;
};

inline std::unique_ptr<WriteJob> NoteJob(std::string text, Outcome& outcome, bool keep = true) {
  return std::make_unique<FnJob>(
      [text = std::move(text), keep](Tx& tx) { return AddNote(tx, text) && keep; }, outcome);
}

/// Holds the writer inside a batch of its own until Release(), so that the jobs submitted
/// meanwhile wait in the queue and are taken together as the next batch.
class Gate {
 public:
  std::unique_ptr<WriteJob> Job() {
    return std::make_unique<FnJob>(
        [this](Tx&) {
          held_.set_value();
          release_future_.wait();
          return true;
        },
        outcome_);
  }
  void WaitUntilHeld() { held_future_.wait(); }
  /// Submits the gate's job to `writer` and waits until it holds the writer.
  void Hold(Writer& writer) {
    writer.Submit(Job());
    WaitUntilHeld();
  }
  void Release() {
    release_.set_value();
    EXPECT_EQ(outcome_.Wait(), "committed");
  }

 private:
  std::promise<void> held_;
  std::future<void> held_future_ = held_.get_future();
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
  Outcome outcome_;
};

/// A migrated database with a `notes` table, a Writer on it, and the sizes of its batches.
struct WriterWorld {
  test::TestDb t;
  Writer writer;
  std::mutex mu;
  std::vector<std::size_t> batches;

  /// The writer opens `uri_of(path)` when given (a fault-injecting VFS), else the path.
  explicit WriterWorld(std::string (*uri_of)(const std::string&) = nullptr)
      : writer(uri_of ? uri_of(t.path()) : t.path()) {
    writer.RunSync([](Tx& tx) {
      tx.db().Exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
    });
    writer.SetBatchObserver([this](std::size_t n) {
      std::lock_guard lock(mu);
      batches.push_back(n);
    });
  }

  std::vector<std::size_t> Batches() {
    std::lock_guard lock(mu);
    return batches;
  }

  std::vector<std::string> Notes() {
    std::vector<std::string> out;
    auto q = t.db().Query("SELECT text FROM notes ORDER BY text");
    while (q->Next() == Step::kRow) out.push_back(q->Str(0));
    return out;
  }
};

}  // namespace swabline::store::test
