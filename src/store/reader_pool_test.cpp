#include "store/reader_pool.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/place.hpp"
#include "store/connection.hpp"
#include "store/places.hpp"
#include "store/writer.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

std::vector<std::string> RootNames(ReaderPool& pool) {
  return pool.RunSync([](Connection& db) {
    std::vector<std::string> names;
    for (const core::Place& p : RootPlaces(db)) names.push_back(p.name);
    return names;
  });
}

TEST(ReaderPool, ReadsWhatTheWriterCommitted) {
  test::TestDb t;
  Writer writer(t.path());
  ReaderPool pool(t.path(), 2);
  EXPECT_TRUE(RootNames(pool).empty());

  writer.RunSync([](Tx& tx) { InsertPlace(tx, core::PlaceKind::kDistrict, "朝阳区", nullptr); });
  EXPECT_EQ(RootNames(pool), (std::vector<std::string>{"朝阳区"}));

  // A later commit is seen by the next read on the same (long-lived) connections.
  writer.RunSync([](Tx& tx) { InsertPlace(tx, core::PlaceKind::kDistrict, "海淀区", nullptr); });
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(RootNames(pool), (std::vector<std::string>{"朝阳区", "海淀区"}));
}

TEST(ReaderPool, ServesCallersOnSeveralThreads) {
  test::TestDb t;
  Writer writer(t.path());
  writer.RunSync([](Tx& tx) { InsertPlace(tx, core::PlaceKind::kDistrict, "朝阳区", nullptr); });
  ReaderPool pool(t.path(), 3);

  std::vector<std::size_t> counts(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < counts.size(); ++i)
    threads.emplace_back([&pool, &counts, i] {
      for (int n = 0; n < 20; ++n) counts[i] += RootNames(pool).size();
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t c : counts) EXPECT_EQ(c, 20u);
}

TEST(ReaderPool, RunSyncRethrowsTheJobsException) {
  test::TestDb t;
  ReaderPool pool(t.path(), 1);
  EXPECT_THROW(pool.RunSync([](Connection& db) { db.Exec("SELECT * FROM no_such_table"); }),
               StoreError);
  EXPECT_TRUE(RootNames(pool).empty()) << "the pool keeps serving after a job threw";
}

TEST(ReaderPool, RefusesWrites) {
  test::TestDb t;
  ReaderPool pool(t.path(), 1);
  EXPECT_THROW(pool.RunSync([](Connection& db) {
    db.Exec("INSERT INTO places(kind, name, path, id_path) VALUES ('district', 'A', 'A', '/1/')");
  }),
               StoreError);
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM places"), 0);
}

TEST(ReaderPool, RunHereReadsOnTheCallersThreadWhatTheWriterCommitted) {
  test::TestDb t;
  Writer writer(t.path());
  ReaderPool pool(t.path(), 1);
  writer.RunSync([](Tx& tx) { InsertPlace(tx, core::PlaceKind::kDistrict, "朝阳区", nullptr); });
  const auto caller = std::this_thread::get_id();
  auto names = pool.RunHere([&](Connection& db) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    std::vector<std::string> out;
    for (const core::Place& p : RootPlaces(db)) out.push_back(p.name);
    return out;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"朝阳区"}));

  writer.RunSync([](Tx& tx) { InsertPlace(tx, core::PlaceKind::kDistrict, "海淀区", nullptr); });
  EXPECT_EQ(pool.RunHere([](Connection& db) { return RootPlaces(db).size(); }), 2u);
}

TEST(ReaderPool, RunHereLendsEachConcurrentCallerItsOwnConnection) {
  test::TestDb t;
  ReaderPool pool(t.path(), 1);
  // A caller reading inside another's read gets a second connection, not the first again.
  pool.RunHere([&pool](Connection& outer) {
    pool.RunHere([&outer](Connection& inner) { EXPECT_NE(&outer, &inner); });
  });
  // Afterwards both are spare: two callers in turn reuse one.
  Connection* first = pool.RunHere([](Connection& db) { return &db; });
  EXPECT_EQ(pool.RunHere([](Connection& db) { return &db; }), first);
}

TEST(ReaderPool, RunHerePassesTheExceptionOnAndKeepsTheConnection) {
  test::TestDb t;
  ReaderPool pool(t.path(), 1);
  EXPECT_THROW(pool.RunHere([](Connection& db) { db.Exec("SELECT * FROM no_such_table"); }),
               StoreError);
  EXPECT_EQ(pool.RunHere([](Connection& db) { return RootPlaces(db).size(); }), 0u);
}

TEST(ReaderPool, KeepsServingAfterAJobThatThrows) {
  test::TestDb t;
  ReaderPool pool(t.path(), 1);
  pool.Submit([](Connection&) { throw std::runtime_error("a bug in a job"); });
  pool.Submit([](Connection&) { throw 42; });
  EXPECT_TRUE(RootNames(pool).empty()) << "the pool's only thread is still alive";
}

}  // namespace
}  // namespace swabline::store
