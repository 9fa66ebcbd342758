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
#include "store/connection.hpp"
#include "support/store/test_support.hpp"
#include "support/store/writer_test_support.hpp"

namespace swabline::store {
namespace {

using test::AddNote;
using test::FnJob;
using test::Gate;
using test::NoteJob;
using test::Outcome;
using test::WriterWorld;

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

TEST(Writer, ReadsTheAuditHeadAfreshInEachBatchSoRecordsOfAnotherConnectionChainOn) {
  // The writer keeps the chain's head within a batch; a record appended by another connection
  // between batches (a CLI command on the live database) must not be overwritten or forked.
  WriterWorld w;
  auto audited = [](std::string detail) {
    return [detail = std::move(detail)](Tx& tx) {
      AppendAudit(tx, 1, {"alice", "note.add", "note", "", detail});
    };
  };
  w.writer.RunSync(audited("writer one"));
  w.t.InTx([](Tx& tx) { AppendAudit(tx, 2, {"cli", "note.add", "note", "", "elsewhere"}); });
  w.writer.RunSync(audited("writer two"));

  EXPECT_EQ(w.t.Count("SELECT COUNT(*) FROM audit"), 3);
  const AuditVerdict verdict = VerifyAudit(w.t.db());
  EXPECT_EQ(verdict.records, 3);
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
  EXPECT_THROW(w.writer.RunSync([](Tx& tx) { AddNote(tx, "late too"); }), WriteFailed);
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
