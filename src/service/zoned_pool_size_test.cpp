// A tube opened where a zone is in force takes the pool size the zone policy asks for that
// zone's level (docs/outbreak.md, "Zones and the policy"), unless its capacity is given.
#include <gtest/gtest.h>

#include <string>

#include "service/rounds.hpp"
#include "service/zone_policy.hpp"
#include "service/zones.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

struct ZonedWorld : test::LabWorld {
  std::int64_t building = PlaceAt(std::string(test::kLabCommunity) + "/1号楼").id;
  std::int64_t community = PlaceAt(test::kLabCommunity).id;
  std::int64_t building_site = SiteAt(building);
  std::int64_t round_of_20 = RoundOf(20);
  int next_tube = 0;

  std::int64_t SiteAt(std::int64_t place) {
    auto site = InTx([&](store::Tx& tx) {
      return CreateSite(tx, env, Actor::System(), "采样点" + std::to_string(place), place);
    });
    EXPECT_TRUE(site.ok());
    return site.ok() ? site->id : 0;
  }

  std::int64_t RoundOf(int pool_size) {
    auto round = InTx([&](store::Tx& tx) {
      return CreateRound(tx, env, Actor::System(),
                         NewRound{"第20轮", {community}, pool_size, {}, {}});
    });
    EXPECT_TRUE(round.ok());
    return round.ok() ? round->id : 0;
  }

  std::int64_t ZoneOver(std::int64_t place, const std::string& level) {
    auto zone = InTx(
        [&](store::Tx& tx) { return CreateZone(tx, env, Actor::System(), place, level, "drill"); });
    EXPECT_TRUE(zone.ok());
    return zone.ok() ? zone->id : 0;
  }

  void Lift(std::int64_t zone) {
    auto lifted =
        InTx([&](store::Tx& tx) { return LiftZoneByHand(tx, env, Actor::System(), zone, "over"); });
    EXPECT_TRUE(lifted.ok());
  }

  /// The capacity of a screening tube opened in the round at the site.
  int CapacityOf(std::int64_t round, std::int64_t site, std::optional<int> capacity = {}) {
    auto tube = InTx([&](store::Tx& tx) {
      return OpenTube(
          tx, env, recorder,
          {"ZT-" + std::to_string(100000 + ++next_tube), round, site, capacity, {}, {}});
    });
    EXPECT_TRUE(tube.ok()) << (tube.ok() ? "" : tube.error().detail);
    return tube.ok() ? tube->tube.capacity : 0;
  }
};

TEST(OpenTube, TakesTheRoundsPoolSizeWhereNoZoneIsInForce) {
  ZonedWorld w;
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 20);
  EXPECT_EQ(w.CapacityOf(w.round_id, w.site_id), 10);
}

TEST(OpenTube, TakesTheZonePolicysPoolSizeWhereItIsSmaller) {
  ZonedWorld w;
  w.ZoneOver(w.building, "sealed");
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 1);
  // The community's site is not under the building's zone.
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.site_id), 20);
}

TEST(OpenTube, AZoneOverAPlaceAboveTheSiteCounts) {
  ZonedWorld w;
  w.ZoneOver(w.community, "controlled");
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 10);
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.site_id), 10);
}

TEST(OpenTube, NeverTakesMoreThanTheRoundsPoolSize) {
  ZonedWorld w;
  w.ZoneOver(w.community, "prevention");  // 20
  EXPECT_EQ(w.CapacityOf(w.round_id, w.building_site), 10);
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 20);
}

TEST(OpenTube, TheSmallestSizeOfTheZonesInForceWins) {
  ZonedWorld w;
  w.ZoneOver(w.community, "controlled");
  w.ZoneOver(w.building, "sealed");
  w.ZoneOver(w.building, "temporary");  // sets no size
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 1);
}

TEST(OpenTube, AGivenCapacityStandsUnderAZone) {
  ZonedWorld w;
  w.ZoneOver(w.building, "sealed");
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site, 5), 5);
}

TEST(OpenTube, ALiftedZoneNoLongerCounts) {
  ZonedWorld w;
  const std::int64_t zone = w.ZoneOver(w.building, "sealed");
  w.Lift(zone);
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 20);
}

TEST(OpenTube, ALevelThePolicyGivesNoSizeLeavesTheRoundsSize) {
  ZonedWorld w;
  // The policy without pool sizes: the default's other members, none for any level.
  auto entries = core::ZonePolicyEntries(core::DefaultZonePolicy());
  std::erase_if(entries, [](const core::PolicyEntry& e) { return e.key.starts_with("pool_size"); });
  auto saved = w.InTx([&](store::Tx& tx) {
    return SaveZonePolicy(tx, w.env, w.ActorAt(core::Role::kAdmin, "", "admin1"), entries);
  });
  ASSERT_TRUE(saved.ok()) << saved.error().detail;
  w.ZoneOver(w.building, "sealed");
  EXPECT_EQ(w.CapacityOf(w.round_of_20, w.building_site), 20);
}

}  // namespace
}  // namespace swabline::service
