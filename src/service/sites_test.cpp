#include "service/sites.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/role.hpp"
#include "service/planning.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::Lane;
using core::Role;
using test::World;

constexpr std::string_view kCommunity = "朝阳区/和平街街道/小黄庄社区";
constexpr std::string_view kOther = "海淀区/中关村街道/科育社区";
constexpr core::Micros kMinute = 60'000'000;

/// `n` residents in the community and one in the other.
void Seed(World& w, int n) {
  std::string csv(test::kCsvHeader);
  for (int i = 0; i < n; ++i)
    csv += test::IdNumber(100 + i) + ",居民" + std::to_string(i) +
           ",,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,\n";
  csv += test::IdNumber(99) + ",远方,,海淀区,中关村街道,科育社区,1号楼,1单元,101,\n";
  w.ImportOk(csv);
}

Site NewSite(World& w, NewSite in) {
  auto site = w.InTx([&](store::Tx& tx) { return CreateSite(tx, w.env, Actor::System(), in); });
  EXPECT_TRUE(site.ok()) << site.error().detail;
  return *site;
}

SiteQueue Queue(World& w, std::int64_t site) {
  auto q = GetSiteQueue(w.conn(), w.env, site);
  EXPECT_TRUE(q.ok());
  return *q;
}

/// Scans `n` residents (from `first`) at the site in tubes of 10.
void Scan(World& w, std::int64_t round, std::int64_t site, int first, int n) {
  static int tube = 0;
  std::string barcode;
  for (int i = 0; i < n; ++i) {
    if (i % 10 == 0) {
      barcode = "SQTUBE-" + std::to_string(1000 + ++tube);
      ASSERT_TRUE(
          w.InTx([&](store::Tx& tx) {
             return OpenTube(tx, w.env, Actor::System(), {barcode, round, site, {}, {}, {}});
           }).ok());
    }
    auto added = w.InTx([&](store::Tx& tx) {
      return AddSample(tx, w.env, Actor::System(), barcode,
                       {test::IdNumber(100 + first + i), {}, false, {}});
    });
    ASSERT_TRUE(added.ok()) << added.error().detail;
  }
}

TEST(CreateSite, KeepsHoursAndLanesGreenFirst) {
  World w;
  Seed(w, 1);
  const Site site = NewSite(w, {"广场",
                                w.PlaceAt(kCommunity).id,
                                {{"18:00", "21:00"}, {"07:00", "11:00"}},
                                {"general", "green"}});
  EXPECT_EQ(site.hours, (std::vector<core::HoursSpan>{{420, 660}, {1080, 1260}}));
  EXPECT_EQ(site.lanes, (std::vector<Lane>{Lane::kGreen, Lane::kGeneral}));
  auto listed = ListPublicSites(w.conn(), w.PlaceAt("朝阳区").id, 0, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->sites.size(), 1u);
  EXPECT_EQ(listed->sites[0].hours, site.hours);
}

TEST(CreateSite, RefusesOverlappingHoursAndCreatesNothing) {
  World w;
  Seed(w, 1);
  auto site = w.InTx([&](store::Tx& tx) {
    return CreateSite(
        tx, w.env, Actor::System(),
        {"x", w.PlaceAt(kCommunity).id, {{"07:00", "11:00"}, {"10:00", "12:00"}}, {}});
  });
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.error().code, core::ErrorCode::kInvalidHours);
  EXPECT_TRUE(ListPublicSites(w.conn(), std::nullopt, 0, 10)->sites.empty());
}

TEST(GetSiteQueue, IsOpenByTheDeploymentsLocalTime) {
  World w;
  Seed(w, 1);
  // kStart is 08:00 UTC: 16:00 in Shanghai, 08:00 in UTC.
  const Site site = NewSite(w, {"晚间", w.PlaceAt(kCommunity).id, {{"15:00", "17:00"}}, {}});
  EXPECT_TRUE(Queue(w, site.id).open_now);
  Env utc = w.env;
  utc.utc_offset_minutes = 0;
  EXPECT_FALSE(GetSiteQueue(w.conn(), utc, site.id)->open_now);
}

TEST(GetSiteQueue, FallsBackOnCollectorsUntilTheFirstScans) {
  World w;
  Seed(w, 40);
  const std::int64_t place = w.PlaceAt(kCommunity).id;
  const Site site = NewSite(w, {"点", place, {}, {"green", "general"}});
  EXPECT_EQ(Queue(w, site.id).rate_source, RateSource::kNone);
  const Actor staff = w.ActorAt(Role::kCommunity, kCommunity);
  ASSERT_TRUE(
      w.InTx([&](store::Tx& tx) { return SetCollectors(tx, w.env, staff, site.id, 2); }).ok());
  auto q =
      w.InTx([&](store::Tx& tx) { return CountQueue(tx, w.env, staff, site.id, "general", 70); });
  ASSERT_TRUE(q.ok()) << q.error().detail;
  EXPECT_EQ(q->rate_source, RateSource::kCollectors);
  EXPECT_DOUBLE_EQ(q->rate_per_hour, 140);
  EXPECT_EQ(q->lanes[1].minutes, 30);  // 70 people at 2 × 70 an hour

  auto round = w.InTx([&](store::Tx& tx) {
    return CreateRound(tx, w.env, Actor::System(), NewRound{"r", {place}, 10, {}, {}});
  });
  Scan(w, round->id, site.id, 0, 35);  // 35 in the last hour: half the collectors' rate
  const SiteQueue after = Queue(w, site.id);
  EXPECT_EQ(after.rate_source, RateSource::kScans);
  EXPECT_EQ(after.samples_last_hour, 35);
  EXPECT_EQ(after.lanes[1].minutes, 120);
  w.clock.Advance(61 * kMinute);  // the scans leave the window
  EXPECT_EQ(Queue(w, site.id).rate_source, RateSource::kCollectors);
  EXPECT_EQ(Queue(w, site.id).samples_last_hour, 0);
}

TEST(CountQueue, NeverGoesBelowZeroAndRefusesALaneTheSiteHasNot) {
  World w;
  Seed(w, 1);
  const Site site = NewSite(w, {"点", w.PlaceAt(kCommunity).id, {}, {}});
  const Actor recorder = w.ActorAt(Role::kRecorder, kCommunity);
  auto q = w.InTx(
      [&](store::Tx& tx) { return CountQueue(tx, w.env, recorder, site.id, "general", -5); });
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->lanes[0].waiting, 0);
  auto green =
      w.InTx([&](store::Tx& tx) { return CountQueue(tx, w.env, recorder, site.id, "green", 1); });
  EXPECT_EQ(green.error().code, core::ErrorCode::kUnknownLane);
}

TEST(CountQueue, IsForStaffAtTheSitesPlace) {
  World w;
  Seed(w, 1);
  const Site site = NewSite(w, {"点", w.PlaceAt(kCommunity).id, {}, {}});
  for (const Actor& actor : {w.ActorAt(Role::kViewer, ""), w.ActorAt(Role::kCourier, ""),
                             w.ActorAt(Role::kRecorder, kOther)}) {
    auto q =
        w.InTx([&](store::Tx& tx) { return CountQueue(tx, w.env, actor, site.id, "general", 1); });
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().code, core::ErrorCode::kForbidden);
  }
  EXPECT_EQ(Queue(w, site.id).lanes[0].waiting, 0);
}

TEST(PlanRound, NeedsCollectorsAndSitesForTheRemainingPeopleInTheHours) {
  World w;
  Seed(w, 300);
  const std::int64_t place = w.PlaceAt(kCommunity).id;
  auto round = w.InTx([&](store::Tx& tx) {
    return CreateRound(tx, w.env, Actor::System(), NewRound{"r", {place}, 10, {}, {}});
  });
  const Actor admin = w.ActorAt(Role::kAdmin, "");
  auto plan = PlanRound(w.conn(), admin, round->id, 2, std::nullopt);
  ASSERT_TRUE(plan.ok()) << plan.error().detail;
  ASSERT_EQ(plan->places.size(), 1u);
  EXPECT_EQ(plan->places[0].residents, 300);
  EXPECT_EQ(plan->places[0].collectors_needed, 3);  // 300 ÷ (70 × 2) = 2.1
  EXPECT_EQ(plan->places[0].sites_needed, 1);
  EXPECT_DOUBLE_EQ(plan->swabs_per_collector_hour, 70);

  SamplingRates rates;
  rates.swabs_per_hour_at_10 = 50;
  rates.collectors_per_site = 2;
  ASSERT_TRUE(
      w.InTx([&](store::Tx& tx) { return PutSamplingRates(tx, w.env, admin, rates); }).ok());
  plan = PlanRound(w.conn(), admin, round->id, 2, std::nullopt);
  EXPECT_EQ(plan->total.collectors_needed, 3);  // 300 ÷ 100
  EXPECT_EQ(plan->total.sites_needed, 2);       // 3 collectors, 2 a site
  EXPECT_EQ(plan->rates.updated_by, "tester");
}

TEST(PutSamplingRates, IsForAnAdminAndRefusesRatesThatLeaveNoTimeToSwab) {
  World w;
  SamplingRates rates;
  const Actor community = w.ActorAt(Role::kCommunity, "");
  auto refused =
      w.InTx([&](store::Tx& tx) { return PutSamplingRates(tx, w.env, community, rates); });
  EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
  rates.swabs_per_hour_at_10 = 700;
  const Actor admin = w.ActorAt(Role::kAdmin, "");
  auto bad = w.InTx([&](store::Tx& tx) { return PutSamplingRates(tx, w.env, admin, rates); });
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidField);
  EXPECT_FALSE(ReadSamplingRates(w.conn()).updated_at.has_value());
}

}  // namespace
}  // namespace swabline::service
