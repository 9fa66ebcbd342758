#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/role.hpp"
#include "service/registry.hpp"
#include "store/audit.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::Role;
using test::Csv;
using test::IdNumber;
using test::World;

constexpr std::string_view kXiaohuangzhuang = "朝阳区/和平街街道/小黄庄社区";

/// Five residents, in id order: three in 小黄庄社区, one in 和平里社区, one in 惠新苑社区.
void SeedResidents(World& w) {
  w.ImportOk(Csv({
      IdNumber(1) +
          ",王伟,13800000001,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,elderly;bedridden",
      IdNumber(2) + ",王芳,13800000002,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,102,",
      IdNumber(3) + ",李娜,13800000003,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,child",
      IdNumber(4) + ",王强,13800000004,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,",
      IdNumber(5) + ",张敏,13800000005,朝阳区,小关街道,惠新苑社区,1号楼,1单元,101,worker",
  }));
}

std::vector<std::string> NamesOf(const ResidentPage& page) {
  std::vector<std::string> names;
  for (const core::Resident& r : page.residents) names.push_back(r.name);
  return names;
}

core::Result<ResidentPage> List(World& w, const Actor& actor, std::string_view query = "",
                                std::optional<std::int64_t> place_id = std::nullopt,
                                std::int64_t cursor = 0, int limit = 100) {
  return ListResidents(w.conn(), w.env, actor, place_id, query, cursor, limit);
}

TEST(GetResident, ShowsTheIdNumberMasked) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(1));

  auto r = GetResident(w.conn(), w.env, w.ActorAt(Role::kViewer, ""), id);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->id, id);
  EXPECT_EQ(r->name, "王伟");
  EXPECT_EQ(r->id_number, "") << "never in clear unless revealed";
  EXPECT_EQ(r->id_number_masked, IdNumber(1).substr(0, 6) + "********" + IdNumber(1).substr(14));
  EXPECT_EQ(r->doc_type, core::DocumentType::kResidentId);
  EXPECT_EQ(r->phone, "13800000001");
  EXPECT_EQ(r->address, "朝阳区/和平街街道/小黄庄社区/1号楼/1单元/101");
  EXPECT_EQ(r->place_id, w.PlaceAt(r->address).id);
  EXPECT_EQ(r->tags, (std::vector<std::string>{"elderly", "bedridden"}));
  EXPECT_FALSE(r->walk_in);
}

TEST(GetResident, ReportsAnUnknownId) {
  World w;
  SeedResidents(w);
  auto r = GetResident(w.conn(), w.env, Actor::System(), 999'999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownResident);
}

TEST(GetResident, RefusesAResidentOutsideTheActorsScope) {
  World w;
  SeedResidents(w);
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);
  EXPECT_TRUE(GetResident(w.conn(), w.env, office, w.ResidentIdOf(IdNumber(3))).ok());
  auto r = GetResident(w.conn(), w.env, office, w.ResidentIdOf(IdNumber(4)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(GetResident, RefusesRolesThatMayNotReadResidents) {
  World w;
  SeedResidents(w);
  for (Role role : {Role::kRecorder, Role::kCourier, Role::kLab}) {
    auto r = GetResident(w.conn(), w.env, w.ActorAt(role, ""), w.ResidentIdOf(IdNumber(1)));
    ASSERT_FALSE(r.ok()) << core::RoleName(role);
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << core::RoleName(role);
  }
}

TEST(RevealResident, GivesTheClearNumberAndWritesAnAuditRecord) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(2));
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang, "xhz-office");

  auto r = w.InTx([&](store::Tx& tx) { return RevealResident(tx, w.env, office, id); });
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->id_number, IdNumber(2));
  EXPECT_EQ(r->name, "王芳");

  const auto audit = w.Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "resident.reveal");
  EXPECT_EQ(audit.back().actor, "xhz-office");
  EXPECT_EQ(audit.back().entity_id, std::to_string(id));
  EXPECT_EQ(audit.back().detail.find(IdNumber(2)), std::string::npos);
  const store::AuditVerdict verdict = store::VerifyAudit(w.conn());
  EXPECT_FALSE(verdict.broken_seq.has_value()) << verdict.reason;
}

TEST(RevealResident, IsForbiddenForViewerAndCommandAndLeavesNoAuditRecord) {
  World w;
  SeedResidents(w);
  const std::size_t records_before = w.Audit().size();
  for (Role role : {Role::kViewer, Role::kCommand, Role::kRecorder}) {
    auto r = w.InTx([&](store::Tx& tx) {
      return RevealResident(tx, w.env, w.ActorAt(role, ""), w.ResidentIdOf(IdNumber(1)));
    });
    ASSERT_FALSE(r.ok()) << core::RoleName(role);
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << core::RoleName(role);
  }
  EXPECT_EQ(w.Audit().size(), records_before);
}

TEST(RevealResident, RefusesAResidentOutsideTheActorsScope) {
  World w;
  SeedResidents(w);
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);
  auto r = w.InTx([&](store::Tx& tx) {
    return RevealResident(tx, w.env, office, w.ResidentIdOf(IdNumber(5)));
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(RevealResident, ReportsAnUnknownId) {
  World w;
  auto r = w.InTx([&](store::Tx& tx) { return RevealResident(tx, w.env, Actor::System(), 42); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownResident);
}

TEST(ListResidents, PagesThroughEveryoneWithACursor) {
  World w;
  SeedResidents(w);
  const Actor admin = Actor::System();

  auto first = List(w, admin, "", std::nullopt, 0, 2);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(NamesOf(*first), (std::vector<std::string>{"王伟", "王芳"}));
  ASSERT_TRUE(first->next_cursor.has_value());
  EXPECT_EQ(*first->next_cursor, first->residents.back().id);

  auto second = List(w, admin, "", std::nullopt, *first->next_cursor, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(NamesOf(*second), (std::vector<std::string>{"李娜", "王强"}));
  ASSERT_TRUE(second->next_cursor.has_value());

  auto last = List(w, admin, "", std::nullopt, *second->next_cursor, 2);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(NamesOf(*last), (std::vector<std::string>{"张敏"}));
  EXPECT_FALSE(last->next_cursor.has_value());
}

TEST(ListResidents, GivesNoCursorWhenAPageHoldsEveryoneExactly) {
  World w;
  SeedResidents(w);
  auto page = List(w, Actor::System(), "", std::nullopt, 0, 5);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->residents.size(), 5u);
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST(ListResidents, KeepsTheLimitBetweenOneAndAThousand) {
  World w;
  SeedResidents(w);
  auto none = List(w, Actor::System(), "", std::nullopt, 0, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->residents.size(), 1u);
  auto negative = List(w, Actor::System(), "", std::nullopt, 0, -5);
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->residents.size(), 1u);
}

TEST(ListResidents, FindsOneResidentByIdNumber) {
  World w;
  SeedResidents(w);
  auto page = List(w, w.ActorAt(Role::kViewer, ""), IdNumber(4));
  ASSERT_TRUE(page.ok()) << page.error().detail;
  ASSERT_EQ(NamesOf(*page), (std::vector<std::string>{"王强"}));
  EXPECT_EQ(page->residents[0].id_number, "");
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST(ListResidents, RejectsAnIdNumberQueryWithAWrongCheckCharacter) {
  World w;
  SeedResidents(w);
  std::string wrong = IdNumber(4);
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  auto page = List(w, Actor::System(), wrong);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kInvalidIdNumber);
}

TEST(ListResidents, FindsResidentsByTheStartOfTheirName) {
  World w;
  SeedResidents(w);
  auto page = List(w, Actor::System(), "王");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(NamesOf(*page), (std::vector<std::string>{"王伟", "王芳", "王强"}));

  auto exact = List(w, Actor::System(), "王芳");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(NamesOf(*exact), (std::vector<std::string>{"王芳"}));
}

TEST(ListResidents, KeepsToAScopedActorsPlaces) {
  World w;
  SeedResidents(w);
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);

  auto everyone = List(w, office);
  ASSERT_TRUE(everyone.ok());
  EXPECT_EQ(NamesOf(*everyone), (std::vector<std::string>{"王伟", "王芳", "李娜"}));

  auto by_name = List(w, office, "王");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(NamesOf(*by_name), (std::vector<std::string>{"王伟", "王芳"}));

  auto by_number = List(w, office, IdNumber(4));
  ASSERT_TRUE(by_number.ok());
  EXPECT_TRUE(by_number->residents.empty()) << "a resident outside the scope is not found";
}

TEST(ListResidents, NarrowsToAPlace) {
  World w;
  SeedResidents(w);
  const std::int64_t building = w.PlaceAt("朝阳区/和平街街道/小黄庄社区/1号楼").id;

  auto page = List(w, Actor::System(), "", building);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(NamesOf(*page), (std::vector<std::string>{"王伟", "王芳"}));

  auto inside = List(w, Actor::System(), IdNumber(1), building);
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(NamesOf(*inside), (std::vector<std::string>{"王伟"}));
  auto elsewhere = List(w, Actor::System(), IdNumber(3), building);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->residents.empty());
}

TEST(ListResidents, RefusesAPlaceOutsideTheActorsScopeOrUnknown) {
  World w;
  SeedResidents(w);
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);
  auto outside = List(w, office, "", w.PlaceAt("朝阳区/和平街街道/和平里社区").id);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kForbidden);

  auto unknown = List(w, office, "", 999'999);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownPlace);
}

TEST(ListResidents, RefusesRolesThatMayNotReadResidents) {
  World w;
  SeedResidents(w);
  auto page = List(w, w.ActorAt(Role::kRecorder, ""));
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kForbidden);
}

}  // namespace
}  // namespace swabline::service
