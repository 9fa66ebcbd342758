// The writer under real storage faults (store/writer.hpp, its failure policy): a disk that
// fills, an fsync that fails, a lock held by another connection, a guard that refuses.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/writer.hpp"
#include "support/store/fault_vfs_test_support.hpp"
#include "support/store/writer_test_support.hpp"

namespace swabline::store {
namespace {

using core::ErrorCode;
using test::FaultVfs;
using test::FaultyUri;
using test::FnJob;
using test::Gate;
using test::NoteJob;
using test::Outcome;

/// A writer on the fault-injecting VFS; every fault is off again when the test ends.
struct FaultyWorld : test::WriterWorld {
  FaultyWorld() : WriterWorld(FaultyUri) { FaultVfs::Get().Clear(); }
  ~FaultyWorld() { FaultVfs::Get().Clear(); }
};

/// A job that adds a note and then switches a fault on: the fault strikes its own batch.
std::unique_ptr<WriteJob> NoteThen(std::string text, void (*fault)(), Outcome& outcome) {
  return std::make_unique<FnJob>(
      [text = std::move(text), fault](Tx& tx) {
        const bool added = test::AddNote(tx, text);
        fault();
        return added;
      },
      outcome);
}

void FillTheDisk() { FaultVfs::Get().SetDiskFull(true); }
void BreakFsync() { FaultVfs::Get().SetSyncFails(true); }

TEST(WriterFaults, ADiskFullAtCommitFailsTheWholeBatchAndTheWriterRecoversOnceSpaceFrees) {
  FaultyWorld w;
  Gate gate;
  gate.Hold(w.writer);
  Outcome a, b, c;
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(NoteThen("b", FillTheDisk, b));
  w.writer.Submit(NoteJob("c", c));
  gate.Release();

  for (Outcome* o : {&a, &b, &c}) {
    EXPECT_NE(o->Wait(), "committed");
    EXPECT_EQ(o->code(), ErrorCode::kStorageUnavailable);
  }
  EXPECT_GT(FaultVfs::Get().refused_writes(), 0);
  EXPECT_TRUE(w.Notes().empty());
  EXPECT_FALSE(w.writer.failed());

  FaultVfs::Get().Clear();
  Outcome d;
  w.writer.Submit(NoteJob("d", d));
  EXPECT_EQ(d.Wait(), "committed");
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"d"}));
}

TEST(WriterFaults, ATransactionSQLiteRollsBackUnderAJobFailsEveryJobOfTheBatch) {
  test::WriterWorld w;
  // A table without constraints: a single-row insert into it keeps no statement journal, so
  // SQLITE_FULL makes SQLite roll the whole transaction back, savepoints and all.
  w.writer.RunSync([](Tx& tx) { tx.db().Exec("CREATE TABLE blobs(b BLOB)"); });
  // The disk "fills" two pages on: the notes fit, the big blob does not.
  w.writer.RunSync([](Tx& tx) {
    auto q = tx.Query("PRAGMA page_count");
    (void)q->Next();
    const std::int64_t pages = q->Int(0);
    tx.db().Exec("PRAGMA max_page_count = " + std::to_string(pages + 2));
  });
  Gate gate;
  gate.Hold(w.writer);
  Outcome a, b, c;
  std::atomic<bool> rolled_back{false};
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(std::make_unique<FnJob>(
      [&rolled_back](Tx& tx) {
        try {
          auto q = tx.Query("INSERT INTO blobs(b) VALUES (zeroblob(1000000))");
          (void)q->Run();
        } catch (const StoreError&) {
          // Swallowed, as a careless job might: the writer must notice all the same.
        }
        rolled_back = sqlite3_get_autocommit(tx.db().raw()) != 0;
        return true;
      },
      b));
  w.writer.Submit(NoteJob("c", c));
  gate.Release();

  for (Outcome* o : {&a, &b, &c}) {
    EXPECT_NE(o->Wait(), "committed");
    EXPECT_EQ(o->code(), ErrorCode::kStorageUnavailable);
  }
  EXPECT_TRUE(rolled_back) << "SQLite kept the transaction: this test no longer tests that case";
  EXPECT_TRUE(w.Notes().empty());

  w.writer.RunSync([](Tx& tx) { tx.db().Exec("PRAGMA max_page_count = 1073741823"); });
  Outcome d;
  w.writer.Submit(NoteJob("d", d));
  EXPECT_EQ(d.Wait(), "committed");
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"d"}));
}

TEST(WriterFaults, AFailedFsyncFailsTheBatchAndEveryLaterWriteUntilRestarted) {
  FaultyWorld w;
  std::vector<std::string> causes;
  w.writer.SetFailureObserver([&causes](const core::Error& e) { causes.push_back(e.detail); });
  Outcome kept;
  w.writer.Submit(NoteJob("kept", kept));
  ASSERT_EQ(kept.Wait(), "committed");

  Gate gate;
  gate.Hold(w.writer);
  Outcome a, b;
  w.writer.Submit(NoteThen("a", BreakFsync, a));
  w.writer.Submit(NoteJob("b", b));
  gate.Release();
  for (Outcome* o : {&a, &b}) {
    EXPECT_NE(o->Wait(), "committed");
    EXPECT_EQ(o->code(), ErrorCode::kStorageUnavailable);
  }
  EXPECT_GT(FaultVfs::Get().refused_syncs(), 0);
  EXPECT_TRUE(w.writer.failed());
  EXPECT_EQ(causes.size(), 1u);

  // The disk is fine again, but what the failed fsync left on it is unknown: still refused.
  FaultVfs::Get().Clear();
  Outcome later;
  w.writer.Submit(NoteJob("later", later));
  EXPECT_NE(later.Wait(), "committed");
  EXPECT_EQ(later.code(), ErrorCode::kStorageUnavailable);
  try {
    w.writer.RunSync([](Tx& tx) { test::AddNote(tx, "sync"); });
    ADD_FAILURE() << "RunSync wrote on a failed writer";
  } catch (const WriteFailed& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kStorageUnavailable);
  }
  EXPECT_EQ(causes.size(), 1u);

  // A restart: a new writer reads the database afresh and writes again.
  w.writer.Stop();
  Writer restarted(w.t.path());
  restarted.RunSync([](Tx& tx) { test::AddNote(tx, "after restart"); });
  const auto notes = w.Notes();
  EXPECT_NE(std::find(notes.begin(), notes.end(), "kept"), notes.end());
  EXPECT_NE(std::find(notes.begin(), notes.end(), "after restart"), notes.end());
  EXPECT_EQ(std::find(notes.begin(), notes.end(), "later"), notes.end());
}

TEST(WriterFaults, ALockHeldByAnotherConnectionFailsTheBatchAsBusyUntilReleased) {
  test::WriterWorld w;
  w.writer.RunSync([](Tx& tx) { tx.db().Exec("PRAGMA busy_timeout = 20"); });
  w.t.db().Exec("BEGIN IMMEDIATE");  // as `swabline import` in another process would
  Outcome a;
  w.writer.Submit(NoteJob("a", a));
  EXPECT_NE(a.Wait(), "committed");
  EXPECT_EQ(a.code(), ErrorCode::kBusy);
  w.t.db().Exec("COMMIT");

  Outcome b;
  w.writer.Submit(NoteJob("b", b));
  EXPECT_EQ(b.Wait(), "committed");
  EXPECT_FALSE(w.writer.failed());
}

TEST(WriterFaults, AStatementAGuardRefusesFailsItsJobWholeAndItsBatchMatesCommit) {
  test::WriterWorld w;
  w.writer.RunSync([](Tx& tx) {
    tx.db().Exec(
        "CREATE TRIGGER notes_final BEFORE UPDATE ON notes BEGIN SELECT RAISE(ABORT, 'a note "
        "is final'); END");
  });
  Gate gate;
  gate.Hold(w.writer);
  Outcome a, b, c;
  w.writer.Submit(NoteJob("a", a));
  w.writer.Submit(std::make_unique<FnJob>(
      [](Tx& tx) {
        (void)test::AddNote(tx, "b");
        tx.Query("UPDATE notes SET text = 'b2' WHERE text = 'b'")->RunOrThrow();
        return true;
      },
      b));
  w.writer.Submit(NoteJob("c", c));
  gate.Release();

  EXPECT_EQ(a.Wait(), "committed");
  EXPECT_NE(b.Wait().find("a note is final"), std::string::npos);
  EXPECT_EQ(b.code(), ErrorCode::kInternal);
  EXPECT_EQ(c.Wait(), "committed");
  EXPECT_EQ(w.Notes(), (std::vector<std::string>{"a", "c"}));
}

}  // namespace
}  // namespace swabline::store
