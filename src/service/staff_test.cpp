#include "service/staff.hpp"

#include <gtest/gtest.h>

#include "service/auth.hpp"
#include "service/notices.hpp"
#include "store/outbox.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

struct StaffWorld : test::LabWorld {
  Actor community = ActorAt(core::Role::kCommunity, test::kLabCommunity, "community1");
  std::int64_t community_id = PlaceAt(test::kLabCommunity).id;

  StaffMember AddOk(const std::string& name, const std::string& kind = "volunteer") {
    auto s = InTx([&](store::Tx& tx) {
      return AddStaff(tx, env, community,
                      {name, "13900000000", kind, "区卫健委", {}, community_id});
    });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().detail);
    return s.ok() ? *s : StaffMember{};
  }
};

TEST(AddStaff, TakesAVolunteerWithoutAUserAndRefusesAnUnknownKindOrUser) {
  StaffWorld w;
  const StaffMember v = w.AddOk("志愿者甲");
  EXPECT_GT(v.id, 0);
  EXPECT_FALSE(v.username.has_value());
  auto bad_kind = w.InTx([&](store::Tx& tx) {
    return AddStaff(tx, w.env, w.community, {"乙", "", "boss", "", {}, w.community_id});
  });
  EXPECT_EQ(bad_kind.error().code, ErrorCode::kInvalidField);
  auto bad_user = w.InTx([&](store::Tx& tx) {
    return AddStaff(tx, w.env, w.community, {"丙", "", "cadre", "", "ghost", w.community_id});
  });
  EXPECT_EQ(bad_user.error().code, ErrorCode::kUnknownAssignee);
  auto viewer = w.InTx([&](store::Tx& tx) {
    return AddStaff(tx, w.env, w.ActorAt(core::Role::kViewer, ""),
                    {"丁", "", "cadre", "", {}, w.community_id});
  });
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
}

TEST(WorkGroups, GatherStaffOnce) {
  StaffWorld w;
  const StaffMember a = w.AddOk("甲"), b = w.AddOk("乙", "cadre");
  auto group = w.InTx([&](store::Tx& tx) {
    return AddWorkGroup(tx, w.env, w.community, "核酸组", w.community_id);
  });
  ASSERT_TRUE(group.ok());
  for (std::int64_t id : {a.id, b.id, a.id})
    w.InTx([&](store::Tx& tx) {
      ASSERT_TRUE(AddWorkGroupMember(tx, w.env, w.community, group->id, id).ok());
    });
  auto unknown = w.InTx(
      [&](store::Tx& tx) { return AddWorkGroupMember(tx, w.env, w.community, group->id, 999); });
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownStaff);
  auto groups = ListWorkGroups(w.conn(), w.community, std::nullopt);
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].members.size(), 2u);
}

TEST(OnDuty, ListsTheShiftsRunningNow) {
  StaffWorld w;
  const StaffMember a = w.AddOk("甲"), b = w.AddOk("乙");
  auto shift = [&](std::int64_t staff, core::Micros from, core::Micros to) {
    return w.InTx([&](store::Tx& tx) {
      return AddShift(tx, w.env, w.community, {staff, w.community_id, from, to, "扫码"});
    });
  };
  ASSERT_TRUE(shift(a.id, test::kStart - test::kHour, test::kStart + test::kHour).ok());
  ASSERT_TRUE(shift(b.id, test::kStart + test::kHour, test::kStart + 2 * test::kHour).ok());
  EXPECT_EQ(shift(a.id, test::kStart, test::kStart).error().code, ErrorCode::kInvalidField);
  auto now = OnDuty(w.conn(), w.env, w.community, std::nullopt);
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].staff.name, "甲");
  EXPECT_EQ((*now)[0].duty, "扫码");
  w.clock.Advance(test::kHour);
  now = OnDuty(w.conn(), w.env, w.community, std::nullopt);
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].staff.name, "乙");
}

TEST(ScansPerHour, CountsEachRecordersSamplesByHour) {
  StaffWorld w;
  w.Tube("SPH-0001", 3);
  w.clock.Advance(test::kHour);
  w.Tube("SPH-0002", 2);
  auto rows = ScansPerHour(w.conn(), w.env, w.community, std::nullopt, std::nullopt);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].username, "recorder1");
  EXPECT_EQ((*rows)[0].scans, 3);
  EXPECT_EQ((*rows)[0].hour, test::kStart);
  EXPECT_EQ((*rows)[1].scans, 2);
  auto too_old = ScansPerHour(w.conn(), w.env, w.community, std::nullopt,
                              test::kStart - 30 * 24 * test::kHour);
  EXPECT_EQ(too_old.error().code, ErrorCode::kInvalidField);
}

TEST(SendReminders, TellsEachResidentNotYetSampled) {
  StaffWorld w;
  w.Tube("REM-0001", 4);
  auto notice = w.InTx([&](store::Tx& tx) {
    return PostNotice(tx, w.env, w.community, w.round_id, std::nullopt,
                      {{}, "小黄庄采样点", "08:00-11:00", "green"});
  });
  ASSERT_TRUE(notice.ok()) << notice.error().detail;
  EXPECT_EQ(notice->text, "where: 小黄庄采样点\nwhen: 08:00-11:00\nlane: green");
  EXPECT_EQ(notice->place_ids, std::vector<std::int64_t>{w.community_id});
  EXPECT_EQ(store::OutboxRows(w.conn()).back().event, "round_notice");
  auto sent = w.InTx([&](store::Tx& tx) {
    return SendReminders(tx, w.env, w.community, w.round_id, std::nullopt);
  });
  ASSERT_TRUE(sent.ok()) << sent.error().detail;
  EXPECT_EQ(sent->reminded, static_cast<std::int64_t>(w.people.size()) - 4);
  const auto outbox = store::OutboxRows(w.conn());
  EXPECT_EQ(outbox.back().event, "sampling_reminder");
  EXPECT_NE(outbox.back().payload.find("小黄庄采样点"), std::string::npos);
  auto empty = w.InTx([&](store::Tx& tx) {
    return PostNotice(tx, w.env, w.community, w.round_id, std::nullopt, {});
  });
  EXPECT_EQ(empty.error().code, ErrorCode::kMissingField);
}

}  // namespace
}  // namespace swabline::service
