#include "http/zone_timer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "service/zones.hpp"
#include "store/zones.hpp"
#include "support/service/test_support.hpp"

namespace swabline::http {
namespace {

constexpr core::Micros kDay = 24 * service::test::kHour;

TEST(ZoneTimer, LiftsAZoneWhoseDaysHaveRunOutByItselfAndStopsCleanly) {
  service::test::World w;
  w.ImportOk(service::test::Csv(
      {service::test::IdNumber(1) + ",甲,,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,"}));
  const std::int64_t building = w.PlaceAt("朝阳区/和平街街道/小黄庄社区/2号楼").id;
  auto zone = w.InTx([&](store::Tx& tx) {
    return service::CreateZone(tx, w.env, service::Actor::System(), building, "controlled",
                               "contact tracing");
  });
  ASSERT_TRUE(zone.ok()) << zone.error().detail;
  w.clock.Advance(3 * kDay + service::test::kHour);

  store::Writer writer(w.db.path());
  {
    ZoneTimer timer(writer, w.env, std::chrono::milliseconds(5));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (timer.runs() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GE(timer.runs(), 2);
  }
  writer.Stop();
  auto row = store::FindZone(w.conn(), zone->id);
  ASSERT_TRUE(row.has_value());
  EXPECT_TRUE(row->lifted_at.has_value());
}

TEST(ZoneTimer, StopsAtOnceWhenItsPeriodIsLong) {
  service::test::World w;
  store::Writer writer(w.db.path());
  const auto started = std::chrono::steady_clock::now();
  { ZoneTimer timer(writer, w.env, std::chrono::hours(1)); }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  writer.Stop();
}

}  // namespace
}  // namespace swabline::http
