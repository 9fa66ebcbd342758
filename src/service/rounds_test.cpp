#include "service/rounds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/role.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::Role;
using test::World;

constexpr std::string_view kXiaohuangzhuang = "朝阳区/和平街街道/小黄庄社区";
constexpr std::string_view kHepingli = "朝阳区/和平街街道/和平里社区";
constexpr std::string_view kKeyu = "海淀区/中关村街道/科育社区";

/// One resident in each of three communities: two on one street of 朝阳区, one in 海淀区.
void SeedCity(World& w) {
  std::string csv(test::kCsvHeader);
  int seq = 20;
  for (std::string_view community : {kXiaohuangzhuang, kHepingli, kKeyu}) {
    std::string columns(community);
    std::replace(columns.begin(), columns.end(), '/', ',');
    ++seq;
    csv += test::IdNumber(seq) + ",居民" + std::to_string(seq) + ",," + columns +
           ",1号楼,1单元,101,\n";
  }
  w.ImportOk(csv);
}

std::int64_t NewRoundAt(World& w, const std::string& name, std::string_view place) {
  const std::int64_t place_id = w.PlaceAt(place).id;
  auto round = w.InTx([&](store::Tx& tx) {
    return CreateRound(tx, w.env, Actor::System(), NewRound{name, {place_id}, 10, {}, {}});
  });
  EXPECT_TRUE(round.ok()) << round.error().detail;
  return round->id;
}

std::vector<std::string> NamesOf(const RoundPage& page) {
  std::vector<std::string> names;
  for (const Round& r : page.rounds) names.push_back(r.name);
  return names;
}

TEST(ListRounds, FillsAScopedPageThoughMoreRoundsThanTheLimitLieOutsideTheScope) {
  World w;
  SeedCity(w);
  NewRoundAt(w, "district", "朝阳区");  // contains the community: concerns it
  for (int i = 0; i < 5; ++i) NewRoundAt(w, "haidian " + std::to_string(i), kKeyu);
  NewRoundAt(w, "community", kXiaohuangzhuang);
  for (int i = 5; i < 10; ++i) NewRoundAt(w, "haidian " + std::to_string(i), kKeyu);
  NewRoundAt(w, "neighbour", kHepingli);  // a sibling community: not theirs
  const Actor actor = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);

  auto first = ListRounds(w.conn(), actor, std::nullopt, 0, 1);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(NamesOf(*first), std::vector<std::string>{"community"});
  ASSERT_TRUE(first->next_cursor.has_value());
  auto second = ListRounds(w.conn(), actor, std::nullopt, *first->next_cursor, 1);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(NamesOf(*second), std::vector<std::string>{"district"});
  EXPECT_FALSE(second->next_cursor.has_value());

  auto whole = ListRounds(w.conn(), actor, std::nullopt, 0, 2);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(NamesOf(*whole), (std::vector<std::string>{"community", "district"}));
  EXPECT_FALSE(whole->next_cursor.has_value());
}

TEST(ListRounds, FiltersByStatusAndShowsEverythingToAnUnscopedUser) {
  World w;
  SeedCity(w);
  const std::int64_t closed = NewRoundAt(w, "old", kKeyu);
  NewRoundAt(w, "new", kXiaohuangzhuang);
  ASSERT_TRUE(
      w.InTx([&](store::Tx& tx) { return CloseRound(tx, w.env, Actor::System(), closed); }).ok());

  auto all = ListRounds(w.conn(), Actor::System(), std::nullopt, 0, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(NamesOf(*all), (std::vector<std::string>{"new", "old"}));
  auto closed_only = ListRounds(w.conn(), Actor::System(), core::RoundStatus::kClosed, 0, 10);
  ASSERT_TRUE(closed_only.ok());
  EXPECT_EQ(NamesOf(*closed_only), std::vector<std::string>{"old"});
  EXPECT_EQ(closed_only->rounds[0].status, core::RoundStatus::kClosed);
}

TEST(ListSites, PagesByIdInTheStore) {
  World w;
  SeedCity(w);
  const std::int64_t here = w.PlaceAt(kXiaohuangzhuang).id;
  const std::int64_t there = w.PlaceAt(kKeyu).id;
  for (int i = 0; i < 5; ++i) {
    for (auto [name_, place_] : {std::pair{"there ", there}, std::pair{"here ", here}}) {
      // Copies: clang 14 cannot capture a structured binding in a lambda.
      const std::string name = name_;
      const std::int64_t place = place_;
      auto site = w.InTx([&](store::Tx& tx) {
        return CreateSite(tx, w.env, Actor::System(), name + std::to_string(i), place);
      });
      ASSERT_TRUE(site.ok()) << site.error().detail;
    }
  }
  const Actor actor = w.ActorAt(Role::kCommunity, kXiaohuangzhuang);
  std::vector<std::string> names;
  std::int64_t cursor = 0;
  int pages = 0;
  for (;;) {
    ++pages;
    auto page = ListSites(w.conn(), actor, std::nullopt, cursor, 2);
    ASSERT_TRUE(page.ok()) << page.error().detail;
    for (const Site& s : page->sites) names.push_back(s.name);
    if (!page->next_cursor) break;
    cursor = *page->next_cursor;
  }
  EXPECT_EQ(pages, 3);  // 2 + 2 + 1
  EXPECT_EQ(names, (std::vector<std::string>{"here 0", "here 1", "here 2", "here 3", "here 4"}));
}

}  // namespace
}  // namespace swabline::service
