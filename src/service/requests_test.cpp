#include "service/requests.hpp"

#include <gtest/gtest.h>

#include "service/auth.hpp"
#include "service/personal_code.hpp"
#include "service/zones.hpp"
#include "store/outbox.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

const std::string kZoned = test::IdNumber(801), kCalm = test::IdNumber(802);

struct RequestWorld : test::LabWorld {
  Actor community = ActorAt(core::Role::kCommunity, test::kLabCommunity, "community1");

  RequestWorld() {
    ImportOk(test::Csv({kZoned + ",甲,13800000001,朝阳区,和平街街道,小黄庄社区,7号楼,1单元,101,",
                        kCalm + ",乙,13800000002,朝阳区,和平街街道,小黄庄社区,8号楼,1单元,101,"}));
    InTx([&](store::Tx& tx) {
      auto user = AddUser(tx, env, Actor::System(), {"helper1", "community", "", "x"});
      ASSERT_TRUE(user.ok()) << user.error().detail;
    });
  }

  core::Result<ResidentRequest> Submit(const std::string& person, const std::string& category,
                                       const Actor* actor = nullptr) {
    return InTx([&](store::Tx& tx) {
      return SubmitRequest(tx, env, actor ? *actor : community, person, category, "需要降压药");
    });
  }

  ResidentRequest SubmitOk(const std::string& person, const std::string& category) {
    auto r = Submit(person, category);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? *r : ResidentRequest{};
  }

  static RequestQuery Query(std::optional<std::string> status, bool overdue = false,
                            int limit = 100) {
    RequestQuery q;
    q.status = std::move(status);
    q.overdue = overdue;
    q.limit = limit;
    return q;
  }

  std::vector<std::int64_t> ListedIds(RequestQuery q) {
    auto page = ListRequests(conn(), env, community, q);
    EXPECT_TRUE(page.ok());
    std::vector<std::int64_t> ids;
    if (page.ok())
      for (const auto& r : page->requests) ids.push_back(r.id);
    return ids;
  }
};

TEST(SubmitRequest, OpensItDueByItsCategoryWithATimelineAndAnOutboxRow) {
  RequestWorld w;
  const ResidentRequest r = w.SubmitOk(kCalm, "medicine");
  EXPECT_EQ(r.status, "open");
  EXPECT_EQ(r.person.name, "乙");
  EXPECT_EQ(r.source, "staff");
  EXPECT_EQ(r.created_at, test::kStart);
  EXPECT_EQ(r.due_at, test::kStart + 4 * test::kHour);
  ASSERT_EQ(r.timeline.size(), 1u);
  EXPECT_EQ(r.timeline[0].event, "created");
  const auto outbox = store::OutboxRows(w.conn());
  ASSERT_FALSE(outbox.empty());
  EXPECT_EQ(outbox.back().event, "request_created");
  EXPECT_EQ(w.Audit().back().action, "request.create");
}

TEST(SubmitRequest, RefusesAnUnknownCategoryAndABlankDetail) {
  RequestWorld w;
  auto bad = w.Submit(kCalm, "groceries");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  auto blank = w.InTx(
      [&](store::Tx& tx) { return SubmitRequest(tx, w.env, w.community, kCalm, "food", "  "); });
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::kMissingField);
}

TEST(SubmitRequest, RefusesARecorderAndAPersonOutsideTheUsersPlaces) {
  RequestWorld w;
  auto by_recorder = w.Submit(kCalm, "food", &w.recorder);
  ASSERT_FALSE(by_recorder.ok());
  EXPECT_EQ(by_recorder.error().code, ErrorCode::kForbidden);
  const Actor elsewhere = w.ActorAt(core::Role::kCommunity, "朝阳区/和平街街道/小黄庄社区/1号楼");
  auto outside = w.Submit(kCalm, "food", &elsewhere);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kForbidden);
}

TEST(ResidentOfCode, TakesOnlyAPersonalCode) {
  RequestWorld w;
  auto by_number = ResidentOfCode(w.conn(), w.env, kCalm);
  ASSERT_FALSE(by_number.ok());
  EXPECT_EQ(by_number.error().code, ErrorCode::kUnauthenticated);
  const std::int64_t id = w.ResidentIdOf(kCalm);
  auto by_id = ResidentOfCode(w.conn(), w.env, std::to_string(id));
  ASSERT_FALSE(by_id.ok());
  EXPECT_EQ(by_id.error().code, ErrorCode::kUnauthenticated);
  auto code = GetPersonalCode(w.conn(), w.env, Actor::System(), id);
  ASSERT_TRUE(code.ok());
  auto by_code = ResidentOfCode(w.conn(), w.env, *code);
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(*by_code, id);
  auto own = w.InTx(
      [&](store::Tx& tx) { return SubmitOwnRequest(tx, w.env, *by_code, "code_popup", "弹窗"); });
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->source, "resident");
  EXPECT_EQ(own->created_by, "resident");
  EXPECT_EQ(own->due_at, test::kStart + 24 * test::kHour);
}

TEST(AssignRequest, NeedsAUserAndTellsThem) {
  RequestWorld w;
  const ResidentRequest r = w.SubmitOk(kCalm, "food");
  auto unknown =
      w.InTx([&](store::Tx& tx) { return AssignRequest(tx, w.env, w.community, r.id, "nobody"); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownAssignee);
  auto assigned =
      w.InTx([&](store::Tx& tx) { return AssignRequest(tx, w.env, w.community, r.id, "helper1"); });
  ASSERT_TRUE(assigned.ok());
  EXPECT_EQ(assigned->status, "assigned");
  EXPECT_EQ(assigned->assignee, "helper1");
  EXPECT_EQ(store::OutboxRows(w.conn()).back().recipient, "helper1");
}

TEST(CloseRequest, NeedsAResolutionAndHappensOnce) {
  RequestWorld w;
  const ResidentRequest r = w.SubmitOk(kCalm, "medical");
  auto close = [&](const std::string& resolution) {
    return w.InTx(
        [&](store::Tx& tx) { return CloseRequest(tx, w.env, w.community, r.id, resolution); });
  };
  auto blank = close(" ");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::kResolutionRequired);
  auto closed = close("送医");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(closed->resolution, "送医");
  EXPECT_EQ(close("again").error().code, ErrorCode::kRequestClosed);
  auto assign =
      w.InTx([&](store::Tx& tx) { return AssignRequest(tx, w.env, w.community, r.id, "helper1"); });
  EXPECT_EQ(assign.error().code, ErrorCode::kRequestClosed);
  auto comment = w.InTx(
      [&](store::Tx& tx) { return CommentOnRequest(tx, w.env, w.community, r.id, "已回访"); });
  ASSERT_TRUE(comment.ok());
  ASSERT_EQ(comment->comments.size(), 1u);
  EXPECT_EQ(comment->comments[0].detail, "已回访");
  EXPECT_EQ(comment->timeline.size(), 3u);  // created, closed, comment
}

TEST(ListRequests, PutsPeopleUnderAZoneFirstThenByDueTime) {
  RequestWorld w;
  const ResidentRequest food = w.SubmitOk(kCalm, "food");          // due in 12 h
  const ResidentRequest medical = w.SubmitOk(kCalm, "medical");    // due in 2 h
  const ResidentRequest zoned = w.SubmitOk(kZoned, "code_popup");  // due in 24 h
  auto zone = w.InTx([&](store::Tx& tx) {
    return CreateZone(tx, w.env, Actor::System(),
                      w.PlaceAt(std::string(test::kLabCommunity) + "/7号楼").id, "controlled",
                      "密接");
  });
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(w.ListedIds({}), (std::vector<std::int64_t>{zoned.id, medical.id, food.id}));
  auto page = ListRequests(w.conn(), w.env, w.community, {});
  EXPECT_TRUE(page->requests[0].zoned);
  EXPECT_FALSE(page->requests[1].zoned);
}

TEST(ListRequests, ListsTheOverdueAndLeavesOutTheClosedFromOpen) {
  RequestWorld w;
  const ResidentRequest medical = w.SubmitOk(kCalm, "medical");
  const ResidentRequest food = w.SubmitOk(kCalm, "food");
  const ResidentRequest done = w.SubmitOk(kCalm, "other");
  w.InTx([&](store::Tx& tx) {
    ASSERT_TRUE(CloseRequest(tx, w.env, w.community, done.id, "ok").ok());
  });
  EXPECT_TRUE(w.ListedIds(RequestWorld::Query(std::nullopt, true)).empty());
  w.clock.Advance(3 * test::kHour);
  EXPECT_EQ(w.ListedIds(RequestWorld::Query(std::nullopt, true)),
            (std::vector<std::int64_t>{medical.id}));
  EXPECT_EQ(w.ListedIds(RequestWorld::Query("open")),
            (std::vector<std::int64_t>{medical.id, food.id}));
  EXPECT_EQ(w.ListedIds(RequestWorld::Query("closed")), (std::vector<std::int64_t>{done.id}));
  auto page =
      ListRequests(w.conn(), w.env, w.community, RequestWorld::Query(std::nullopt, false, 1));
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->requests[0].overdue);
  EXPECT_EQ(page->next_cursor, 1);
}

TEST(RequestDueSettings, ChangeTheDueTimeOfNewRequestsOnly) {
  RequestWorld w;
  const ResidentRequest before = w.SubmitOk(kCalm, "food");
  const Actor admin = w.ActorAt(core::Role::kAdmin, "", "admin");
  auto refused = w.InTx([&](store::Tx& tx) {
    return PutRequestDueSettings(tx, w.env, w.community, {{"food", 6}});
  });
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  auto bad = w.InTx([&](store::Tx& tx) {
    return PutRequestDueSettings(tx, w.env, admin, {{"food", 0}});
  });
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  auto unknown = w.InTx([&](store::Tx& tx) {
    return PutRequestDueSettings(tx, w.env, admin, {{"beer", 3}});
  });
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidField);
  auto saved = w.InTx([&](store::Tx& tx) {
    return PutRequestDueSettings(tx, w.env, admin, {{"food", 6}});
  });
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->hours.Of(core::RequestCategory::kFood), 6);
  EXPECT_EQ(saved->hours.Of(core::RequestCategory::kMedical), 2);
  EXPECT_EQ(saved->updated_by, "admin");
  EXPECT_EQ(w.SubmitOk(kCalm, "food").due_at, test::kStart + 6 * test::kHour);
  auto again = GetRequest(w.conn(), w.env, w.community, before.id);
  EXPECT_EQ(again->due_at, test::kStart + 12 * test::kHour);
}

}  // namespace
}  // namespace swabline::service
