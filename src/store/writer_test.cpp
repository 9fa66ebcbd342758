#include "store/writer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/audit.hpp"
#include "store/sqlite.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

bool AddNote(Tx& tx, std::string_view text) {
  auto q = tx.Query("INSERT INTO notes(text) VALUES (?)");
  q->Bind(1, text);
  return q->Run();
}

/// What became of one job: "committed", or "failed: " and the reason. Set on the writer thread.
class Outcome {
 public:
  void Set(std::string what) { promise_.set_value(std::move(what)); }
  std::string Wait() { return future_.get(); }

 private:
  std::promise<std::string> promise_;
  std::future<std::string> future_ = promise_.get_future();
};

class FnJob : public WriteJob {
 public:
  FnJob(std::function<bool(Tx&)> run, Outcome& outcome) : run_(std::move(run)), outcome_(outcome) {}
  bool Run(Tx& tx) override { return run_(tx); }
  void Committed() override { outcome_.Set("committed"); }
  void Failed(const std::string& why) override { outcome_.Set("failed: " + why); }

 private:
  std::function<bool(Tx&)> run_;
  Outcome& outcome_;
};

std::unique_ptr<WriteJob> NoteJob(std::string text, Outcome& outcome, bool keep = true) {
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
  Writer writer{t.path()};
  std::mutex mu;
  std::vector<std::size_t> batches;

  WriterWorld() {
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

TEST(Writer, CommitsEveryJobSubmittedConcurrentlyFromSeveralThreads) {
  WriterWorld w;
  constexpr int kThreads = 4;
  constexpr int kJobsPerThread = 100;
  std::vector<Outcome> outcomes(kThreads * kJobsPerThread);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&w, &outcomes, t] {
      for (int i = 0; i < kJobsPerThread; ++i) {
        const int n = t * kJobsPerThread + i;
        w.writer.Submit(NoteJob("note " + std::to_string(n), outcomes[n]));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (auto& outcome : outcomes) EXPECT_EQ(outcome.Wait(), "committed");
  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM notes"), kThreads * kJobsPerThread);
  std::size_t jobs_in_batches = 0;
  for (std::size_t n : w.Batches()) jobs_in_batches += n;
  EXPECT_EQ(jobs_in_batches, kThreads * kJobsPerThread);
}

TEST(Writer, CommitsJobsThatQueuedBehindABusyBatchInOneBatch) {
  WriterWorld w;
  Gate gate;
  w.writer.Submit(gate.Job());
  gate.WaitUntilHeld();

  std::vector<Outcome> outcomes(5);
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i)
    threads.emplace_back(
        [&w, &outcomes, i] { w.writer.Submit(NoteJob("n" + std::to_string(i), outcomes[i])); });
  for (auto& thread : threads) thread.join();
  gate.Release();

  for (auto& outcome : outcomes) EXPECT_EQ(outcome.Wait(), "committed");
  EXPECT_EQ(w.Batches(), (std::vector<std::size_t>{1, 5}));
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"n0", "n1", "n2", "n3", "n4"}));
}

TEST(Writer, RollsBackAJobThatReturnsFalseAndKeepsItsBatchMates) {
  WriterWorld w;
  Gate gate;
  w.writer.Submit(gate.Job());
  gate.WaitUntilHeld();
  Outcome a, b, c;
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(NoteJob("b", b, /*keep=*/false));
  w.writer.Submit(NoteJob("c", c));
  gate.Release();

  EXPECT_EQ(a.Wait(), "committed");
  // Returning false is an expected refusal, not a failure: the job is told its (empty) work
  // is durable.
  EXPECT_EQ(b.Wait(), "committed");
  EXPECT_EQ(c.Wait(), "committed");
  EXPECT_EQ(w.Batches(), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"a", "c"}));
}

TEST(Writer, FailsAJobThatThrowsAndCommitsItsBatchMates) {
  WriterWorld w;
  Gate gate;
  w.writer.Submit(gate.Job());
  gate.WaitUntilHeld();
  Outcome a, b, c;
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(std::make_unique<FnJob>(
      [](Tx& tx) -> bool {
        AddNote(tx, "b");
        throw std::runtime_error("boom");
      },
      b));
  w.writer.Submit(NoteJob("c", c));
  gate.Release();

  EXPECT_EQ(a.Wait(), "committed");
  EXPECT_EQ(b.Wait(), "failed: boom");
  EXPECT_EQ(c.Wait(), "committed");
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"a", "c"}));
}

TEST(Writer, RollsBackTheAuditRecordOfARefusedJobAndTheChainStillVerifies) {
  WriterWorld w;
  Gate gate;
  w.writer.Submit(gate.Job());
  gate.WaitUntilHeld();
  auto audited = [](std::string detail, bool keep) {
    return [detail = std::move(detail), keep](Tx& tx) {
      AppendAudit(tx, 1, {"alice", "note.add", "note", "", detail});
      return keep;
    };
  };
  Outcome a, b, c;
  w.writer.Submit(std::make_unique<FnJob>(audited("first", true), a));
  w.writer.Submit(std::make_unique<FnJob>(audited("refused", false), b));
  w.writer.Submit(std::make_unique<FnJob>(audited("second", true), c));
  gate.Release();
  for (Outcome* o : {&a, &b, &c}) EXPECT_EQ(o->Wait(), "committed");

  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM audit"), 2);
  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM audit WHERE detail = 'refused'"), 0);
  const AuditVerdict verdict = VerifyAudit(w.t.db());
  EXPECT_EQ(verdict.records, 2);
  EXPECT_FALSE(verdict.broken_seq.has_value()) << verdict.reason;
}

TEST(Writer, RunSyncReturnsTheValueOfItsFunction) {
  WriterWorld w;
  const std::int64_t id = w.writer.RunSync([](Tx& tx) {
    AddNote(tx, "hello");
    return tx.db().LastInsertId();
  });
  EXPECT_GT(id, 0);
  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM notes WHERE id = " + std::to_string(id)), 1);

  auto owned = w.writer.RunSync([](Tx&) { return std::make_unique<std::string>("move-only"); });
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, "move-only");
}

TEST(Writer, RunSyncFromSeveralThreadsGivesEachCallerItsOwnResult) {
  WriterWorld w;
  std::vector<std::string> seen(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&w, &seen, i] {
      seen[i] = w.writer.RunSync([i](Tx& tx) {
        AddNote(tx, "caller " + std::to_string(i));
        return "caller " + std::to_string(i);
      });
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(seen[i], "caller " + std::to_string(i));
  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM notes"), 8);
}

TEST(Writer, RunSyncRethrowsTheExceptionAndKeepsNothing) {
  WriterWorld w;
  EXPECT_THROW(w.writer.RunSync([](Tx& tx) -> int {
    AddNote(tx, "half done");
    throw std::invalid_argument("bad input");
  }),
               std::invalid_argument);
  EXPECT_TRUE(w.Notes().empty());

  // The writer carries on after a job threw.
  w.writer.RunSync([](Tx& tx) { AddNote(tx, "after"); });
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"after"}));
}

TEST(Writer, RunSyncRethrowsAStoreErrorFromBadSql) {
  WriterWorld w;
  EXPECT_THROW(
      w.writer.RunSync([](Tx& tx) { tx.db().Exec("INSERT INTO no_such_table VALUES (1)"); }),
      StoreError);
  w.writer.RunSync([](Tx& tx) { AddNote(tx, "still works"); });
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"still works"}));
}

TEST(Writer, StopRunsTheJobsAlreadyQueued) {
  WriterWorld w;
  Gate gate;
  w.writer.Submit(gate.Job());
  gate.WaitUntilHeld();
  Outcome a, b;
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(NoteJob("b", b));
  std::thread stopper([&w] { w.writer.Stop(); });
  gate.Release();
  stopper.join();

  EXPECT_EQ(a.Wait(), "committed");
  EXPECT_EQ(b.Wait(), "committed");
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"a", "b"}));
}

TEST(Writer, FailsJobsSubmittedAfterStop) {
  WriterWorld w;
  w.writer.Stop();
  w.writer.Stop();  // idempotent

  Outcome outcome;
  w.writer.Submit(NoteJob("late", outcome));
  EXPECT_EQ(outcome.Wait(), "failed: the server is shutting down");
  EXPECT_THROW(w.writer.RunSync([](Tx& tx) { AddNote(tx, "late too"); }), StoreError);
  EXPECT_TRUE(w.Notes().empty());
}

// RunSync promises to rethrow fn's exception, whatever it is. Writer::RunBatch catches only
// std::exception, so anything else escapes the writer thread and std::terminate ends the
// process. Run in a child process so that the failure cannot take the other tests with it.
bool RunSyncRethrowsAnInt() {
  WriterWorld w;
  try {
    w.writer.RunSync([](Tx&) -> int { throw 7; });
  } catch (int thrown) {
    return thrown == 7;
  }
  return false;
}

TEST(WriterDeathTest, RunSyncRethrowsAnExceptionNotDerivedFromStdException) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(std::exit(RunSyncRethrowsAnInt() ? 0 : 1), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace swabline::store
