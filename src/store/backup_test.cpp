// Backups while the writer commits, and restores that check before they replace anything
// (README, Backups and the audit anchor; docs/security.md, Disk loss or failure).

#include "store/backup.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/audit.hpp"
#include "store/migrations.hpp"
#include "store/writer.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// About `megabytes` of rows beside the schema, so that a backup takes many steps.
void Ballast(test::TestDb& t, int megabytes) {
  t.InTx([&](Tx& tx) {
    tx.db().Exec("CREATE TABLE ballast (id INTEGER PRIMARY KEY, pad BLOB NOT NULL)");
    auto q = tx.Query("INSERT INTO ballast(pad) VALUES (randomblob(2000))");
    for (int i = 0; i < megabytes * 500; ++i) q->RunOrThrow();
  });
}

void Audit(Tx& tx, std::int64_t i) {
  AppendAudit(tx, 1'000'000 * i, {"recorder1", "sample.add", "sample", std::to_string(i), "t"});
}

std::int64_t AuditRecords(const std::string& path) {
  Connection db(path, OpenMode::kReadOnly);
  return VerifyAudit(db).records;
}

TEST(BackupDatabase, CopiesOneSnapshotWhileTheWriterKeepsCommitting) {
  test::TempDir out;
  test::TestDb t;
  Ballast(t, 40);
  Writer writer(t.path());
  std::atomic<bool> stop = false;
  std::atomic<std::int64_t> acknowledged = 0;
  std::atomic<std::int64_t> worst_during_us = 0;
  std::atomic<bool> backing_up = false;
  std::int64_t worst_before_us = 0;
  std::thread load([&] {
    for (std::int64_t i = 1; !stop; ++i) {
      const auto t0 = Clock::now();
      writer.RunSync([&](Tx& tx) { Audit(tx, i); });
      const auto us =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
      if (backing_up)
        worst_during_us = std::max<std::int64_t>(worst_during_us, us);
      else if (acknowledged > 0)
        worst_before_us = std::max<std::int64_t>(worst_before_us, us);
      acknowledged = i;
    }
  });
  while (acknowledged < 200) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::int64_t writes_at_start = acknowledged;
  backing_up = true;
  const auto started = Clock::now();
  std::int64_t steps_seen = 0;
  const BackupReport r = BackupDatabase(
      t.path(), out.File("copy.db"), [&](std::int64_t, std::int64_t) { ++steps_seen; }, 64);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  backing_up = false;
  const std::int64_t writes_during = acknowledged - writes_at_start;
  stop = true;
  load.join();

  std::printf(
      "backup of %lld pages (%.1f MB) in %d steps: %.3f s; %lld writer commits during it, the "
      "slowest %.2f ms (before it: %.2f ms)\n",
      static_cast<long long>(r.pages), static_cast<double>(r.bytes) / 1e6, r.steps, seconds,
      static_cast<long long>(writes_during), static_cast<double>(worst_during_us) / 1000,
      static_cast<double>(worst_before_us) / 1000);
  EXPECT_GT(r.steps, 10);
  EXPECT_EQ(steps_seen, r.steps);
  EXPECT_GT(writes_during, 0) << "the writer was held up for the whole backup";
  EXPECT_FALSE(fs::exists(out.File("copy.db.partial")));
  const RestoreCheck check = CheckRestorable(out.File("copy.db"));
  EXPECT_FALSE(check.problem.has_value()) << *check.problem;
  EXPECT_EQ(check.schema_version, LatestSchemaVersion());
  // Every write acknowledged before the backup began is in it; it is one snapshot, so its
  // audit chain is whole whatever was committed while it ran.
  EXPECT_GE(check.audit_records, writes_at_start);
  EXPECT_EQ(check.audit_records, r.audit_records);
}

TEST(BackupDatabase, NeverReplacesAFile) {
  test::TestDb t;
  const std::string dest = t.File("existing.db");
  std::ofstream(dest) << "keep me";
  EXPECT_THROW(BackupDatabase(t.path(), dest, {}), std::runtime_error);
  std::ifstream in(dest);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "keep me");
}

TEST(RestoreDatabase, PutsACheckedCopyInPlaceWithoutTheOldWal) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    for (int i = 1; i <= 5; ++i) Audit(tx, i);
  });
  const std::string backup = t.File("backup.db");
  BackupDatabase(t.path(), backup, {});

  // The database in place, and a WAL left by a server that did not stop cleanly: replayed
  // into the restored file it would corrupt it.
  const std::string db = t.File("in-place.db");
  {
    Connection c(db, OpenMode::kReadWrite);
    Migrate(c);
  }
  std::ofstream(db + "-wal") << "a stale write-ahead log";
  const RestoreCheck check = RestoreDatabase(backup, db);
  ASSERT_FALSE(check.problem.has_value()) << *check.problem;
  EXPECT_EQ(check.audit_records, 5);
  EXPECT_FALSE(fs::exists(db + ".restoring"));
  EXPECT_EQ(AuditRecords(db), 5);
}

TEST(RestoreDatabase, RefusesABrokenAuditChainAndChangesNothing) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    for (int i = 1; i <= 5; ++i) Audit(tx, i);
    tx.db().Exec("UPDATE audit SET detail = 'edited' WHERE seq = 3");
  });
  const std::string backup = t.File("backup.db");
  BackupDatabase(t.path(), backup, {});
  const std::string db = t.File("in-place.db");
  std::ofstream(db) << "the database in place";

  const RestoreCheck check = RestoreDatabase(backup, db);
  ASSERT_TRUE(check.problem.has_value());
  EXPECT_NE(check.problem->find("audit chain is broken at record 3"), std::string::npos)
      << *check.problem;
  EXPECT_EQ(fs::file_size(db), std::string("the database in place").size());
  EXPECT_FALSE(fs::exists(db + ".restoring"));
}

TEST(RestoreDatabase, RefusesAFileThatIsNotAHealthyDatabase) {
  test::TestDb t;
  const std::string garbage = t.File("garbage.db");
  std::ofstream(garbage) << std::string(8192, 'x');
  const std::string db = t.File("fresh.db");
  EXPECT_ANY_THROW({
    const RestoreCheck check = RestoreDatabase(garbage, db);
    if (check.problem) throw std::runtime_error(*check.problem);
  });
  EXPECT_FALSE(fs::exists(db));

  const std::string other = t.File("other.db");
  {
    Connection c(other, OpenMode::kReadWrite);
    c.Exec("CREATE TABLE x (y)");
  }
  const RestoreCheck check = RestoreDatabase(other, db);
  ASSERT_TRUE(check.problem.has_value());
  EXPECT_NE(check.problem->find("not a Swabline database"), std::string::npos);
  EXPECT_FALSE(fs::exists(db));
}

}  // namespace
}  // namespace swabline::store
