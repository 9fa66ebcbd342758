// A busy database is answered 503 busy with Retry-After, on the write and the read path.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <string>

#include "http/app.hpp"
#include "support/http/test_support.hpp"

namespace swabline::http {
namespace {

using test::AppWorld;

bool HasRetryAfter(const Reply& r) {
  for (const auto& [name, value] : r.headers)
    if (name == "Retry-After" && !value.empty()) return true;
  return false;
}

Reply WriteNothing(App& app) {
  std::promise<Reply> reply;
  app.WritePublic([&reply](Reply r) { reply.set_value(std::move(r)); },
                  [](store::Tx&) { return JsonReply(200, "{}"); });
  return reply.get_future().get();
}

TEST(AppBusy, AWriteWhileAnotherConnectionHoldsTheLockIsAnswered503BusyWithRetryAfter) {
  AppWorld a;
  a.writer().RunSync([](store::Tx& tx) { tx.db().Exec("PRAGMA busy_timeout = 20"); });
  a.world().conn().Exec("BEGIN IMMEDIATE");  // another process, such as `swabline import`

  const Reply busy = WriteNothing(a.app());
  EXPECT_EQ(busy.status, 503);
  EXPECT_NE(busy.body.find("\"code\":\"busy\""), std::string::npos) << busy.body;
  EXPECT_TRUE(HasRetryAfter(busy));

  a.world().conn().Exec("ROLLBACK");
  EXPECT_EQ(WriteNothing(a.app()).status, 200);
}

TEST(AppBusy, AReadThatMeetsABusyDatabaseIsAnswered503BusyWithRetryAfter) {
  AppWorld a;
  std::promise<Reply> reply;
  // What a reader's step throws when its busy timeout runs out.
  a.app().ReadPublicNow([&reply](Reply r) { reply.set_value(std::move(r)); },
                        [](store::Connection&) -> Reply {
                          throw store::StoreError(SQLITE_BUSY, "step: database is locked");
                        });
  const Reply busy = reply.get_future().get();
  EXPECT_EQ(busy.status, 503);
  EXPECT_NE(busy.body.find("\"code\":\"busy\""), std::string::npos) << busy.body;
  EXPECT_TRUE(HasRetryAfter(busy));
}

}  // namespace
}  // namespace swabline::http
