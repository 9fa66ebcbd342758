#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/place.hpp"
#include "core/role.hpp"
#include "service/registry.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::Role;
using test::Csv;
using test::IdNumber;
using test::World;

constexpr std::string_view kXiaohuangzhuang = "朝阳区/和平街街道/小黄庄社区";
constexpr std::string_view kHepingli = "朝阳区/和平街街道/和平里社区";

/// 朝阳区 with two communities on one street, and 海淀区 beside it.
void SeedCity(World& w) {
  w.ImportOk(Csv({
      IdNumber(1) + ",王伟,,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,",
      IdNumber(2) + ",王芳,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
      IdNumber(3) + ",李娜,,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,",
      IdNumber(4) + ",张敏,,海淀区,中关村街道,科育社区,1号楼,1单元,101,",
  }));
}

std::vector<std::string> NamesOf(const std::vector<core::Place>& places) {
  std::vector<std::string> names;
  for (const core::Place& p : places) names.push_back(p.name);
  return names;
}

TEST(FindPlaceAt, CanonicalisesSpacesAroundSlashes) {
  World w;
  SeedCity(w);
  auto place = FindPlaceAt(w.conn(), Actor::System(), "  朝阳区 / 和平街街道 /小黄庄社区\t");
  ASSERT_TRUE(place.ok()) << place.error().detail;
  EXPECT_EQ(place->path, kXiaohuangzhuang);
  EXPECT_EQ(place->kind, core::PlaceKind::kCommunity);
  EXPECT_EQ(place->id, w.PlaceAt(kXiaohuangzhuang).id);
}

TEST(FindPlaceAt, ReportsAnUnknownPlace) {
  World w;
  SeedCity(w);
  auto place = FindPlaceAt(w.conn(), Actor::System(), "朝阳区/和平街街道/无名社区");
  ASSERT_FALSE(place.ok());
  EXPECT_EQ(place.error().code, ErrorCode::kUnknownPlace);
}

TEST(FindPlaceAt, RejectsAMalformedPath) {
  World w;
  SeedCity(w);
  for (std::string_view path : {"", "朝阳区//小黄庄社区", "朝阳区/", "a/b/c/d/e/f/g"}) {
    auto place = FindPlaceAt(w.conn(), Actor::System(), path);
    ASSERT_FALSE(place.ok()) << path;
    EXPECT_EQ(place.error().code, ErrorCode::kInvalidPlacePath) << path;
  }
}

TEST(FindPlaceAt, RefusesAPlaceOutsideTheActorsScope) {
  World w;
  SeedCity(w);
  const Actor office = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);

  for (std::string_view path :
       {kHepingli, std::string_view("朝阳区/和平街街道"), std::string_view("海淀区")}) {
    auto place = FindPlaceAt(w.conn(), office, path);
    ASSERT_FALSE(place.ok()) << path;
    EXPECT_EQ(place.error().code, ErrorCode::kForbidden) << path;
  }
  EXPECT_TRUE(FindPlaceAt(w.conn(), office, kXiaohuangzhuang).ok());
  EXPECT_TRUE(FindPlaceAt(w.conn(), office, "朝阳区/和平街街道/小黄庄社区/1号楼/1单元").ok());
}

TEST(GetPlace, ListsThePlaceWithItsChildren) {
  World w;
  SeedCity(w);
  const core::Place community = w.PlaceAt(kXiaohuangzhuang);

  auto got = GetPlace(w.conn(), w.ActorAt(Role::kRecorder, kXiaohuangzhuang), community.id);
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->place.path, kXiaohuangzhuang);
  EXPECT_EQ(NamesOf(got->children), (std::vector<std::string>{"1号楼", "2号楼"}));
  for (const core::Place& child : got->children) {
    EXPECT_EQ(child.kind, core::PlaceKind::kBuilding);
    EXPECT_EQ(child.parent_id, community.id);
  }
}

TEST(GetPlace, GivesARoomNoChildren) {
  World w;
  SeedCity(w);
  auto got = GetPlace(w.conn(), Actor::System(),
                      w.PlaceAt("朝阳区/和平街街道/小黄庄社区/1号楼/1单元/101").id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->children.empty());
}

TEST(GetPlace, ReportsAnUnknownId) {
  World w;
  SeedCity(w);
  auto got = GetPlace(w.conn(), Actor::System(), 999'999);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kUnknownPlace);
}

TEST(GetPlace, RefusesAPlaceOutsideTheActorsScope) {
  World w;
  SeedCity(w);
  auto got =
      GetPlace(w.conn(), w.ActorAt(Role::kCommunity, kXiaohuangzhuang), w.PlaceAt(kHepingli).id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kForbidden);
}

TEST(TopPlaces, GivesEveryDistrictToAnUnscopedActor) {
  World w;
  SeedCity(w);
  auto top = TopPlaces(w.conn(), w.ActorAt(Role::kViewer, ""));
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(NamesOf(*top), (std::vector<std::string>{"朝阳区", "海淀区"}));
  for (const core::Place& p : *top) EXPECT_EQ(p.kind, core::PlaceKind::kDistrict);
}

TEST(TopPlaces, GivesAScopedActorTheirScope) {
  World w;
  SeedCity(w);
  auto top = TopPlaces(w.conn(), w.ActorAt(Role::kCommunity, kXiaohuangzhuang));
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].path, kXiaohuangzhuang);
}

TEST(TopPlaces, IsEmptyForAnEmptyRegistry) {
  World w;
  auto top = TopPlaces(w.conn(), Actor::System());
  ASSERT_TRUE(top.ok());
  EXPECT_TRUE(top->empty());
}

}  // namespace
}  // namespace swabline::service
