#include "service/tube_batches.hpp"

#include <gtest/gtest.h>

#include "store/outbox.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr core::Micros kDay = 24 * test::kHour;

struct BatchWorld : test::LabWorld {
  Actor community = ActorAt(core::Role::kCommunity, test::kLabCommunity, "community1");
  std::int64_t other_site = 0;

  BatchWorld() {
    auto site = InTx([&](store::Tx& tx) {
      return CreateSite(tx, env, Actor::System(), "另一采样点", PlaceAt(test::kLabCommunity).id);
    });
    other_site = site.ok() ? site->id : 0;
  }

  core::Result<TubeBatch> Issue(std::int64_t site, std::vector<std::string> barcodes,
                                core::Micros expires_in = 30 * kDay) {
    NewTubeBatch in;
    in.site_id = site;
    in.barcodes = std::move(barcodes);
    in.expires_at = clock.Now() + expires_in;
    return InTx([&](store::Tx& tx) { return CreateTubeBatch(tx, env, community, in); });
  }

  core::Result<TubeView> Open(const std::string& barcode, std::int64_t site) {
    return InTx([&](store::Tx& tx) {
      return OpenTube(tx, env, recorder, {barcode, round_id, site, {}, {}, {}});
    });
  }

  std::vector<store::OutboxRow> LowStockMessages() {
    std::vector<store::OutboxRow> out;
    for (auto& row : store::OutboxRows(conn()))
      if (row.event == "low_stock") out.push_back(row);
    return out;
  }
};

TEST(CreateTubeBatch, IssuesARangeAndCountsIt) {
  BatchWorld w;
  NewTubeBatch in;
  in.site_id = w.site_id;
  in.range = core::BarcodeRange{"CY01-", 1, 500, 5};
  in.expires_at = w.clock.Now() + kDay;
  in.pool_size = 10;
  auto batch = w.InTx([&](store::Tx& tx) { return CreateTubeBatch(tx, w.env, w.community, in); });
  ASSERT_TRUE(batch.ok()) << batch.error().detail;
  EXPECT_EQ(batch->count, 500);
  auto page = ListTubeBatches(w.conn(), w.community, w.site_id, 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->batches.size(), 1u);
  EXPECT_EQ(page->batches[0].pool_size, 10);
}

TEST(CreateTubeBatch, RefusesABarcodeAnEarlierBatchIssued) {
  BatchWorld w;
  ASSERT_TRUE(w.Issue(w.site_id, {"TB-000001", "TB-000002"}).ok());
  auto again = w.Issue(w.other_site, {"TB-000003", "TB-000002"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kBarcodeInBatch);
}

TEST(CreateTubeBatch, RefusesARecorderAndBadBarcodes) {
  BatchWorld w;
  NewTubeBatch in{w.site_id, {"TB-000001"}, {}, w.clock.Now() + kDay, {}};
  auto by_recorder =
      w.InTx([&](store::Tx& tx) { return CreateTubeBatch(tx, w.env, w.recorder, in); });
  EXPECT_EQ(by_recorder.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(w.Issue(w.site_id, {"bad code!"}).error().code, ErrorCode::kInvalidBarcode);
  EXPECT_EQ(w.Issue(w.site_id, {}).error().code, ErrorCode::kInvalidField);
}

TEST(OpenTube, WhenStrictOpensOnlyIssuedUnexpiredBarcodesAtTheirSite) {
  BatchWorld w;
  w.env.strict_tubes = true;
  ASSERT_TRUE(w.Issue(w.site_id, {"TB-000001", "TB-000002"}).ok());
  ASSERT_TRUE(w.Issue(w.other_site, {"TB-000009"}).ok());
  ASSERT_TRUE(w.Issue(w.site_id, {"OLD-000001"}, test::kHour).ok());
  EXPECT_EQ(w.Open("TB-000404", w.site_id).error().code, ErrorCode::kBarcodeNotIssued);
  EXPECT_EQ(w.Open("TB-000009", w.site_id).error().code, ErrorCode::kBarcodeOtherSite);
  w.clock.Advance(2 * test::kHour);
  EXPECT_EQ(w.Open("OLD-000001", w.site_id).error().code, ErrorCode::kTubeExpired);
  EXPECT_TRUE(w.Open("TB-000001", w.site_id).ok());
}

TEST(OpenTube, WithoutStrictOpensAnyBarcode) {
  BatchWorld w;
  EXPECT_TRUE(w.Open("TB-000404", w.site_id).ok());
}

TEST(SiteStock, CountsTubesSwabsAndKitsFromTheSitesTubes) {
  BatchWorld w;
  ASSERT_TRUE(w.Issue(w.site_id, {"TB-000001", "TB-000002", "TB-000003"}).ok());
  auto put = w.InTx([&](store::Tx& tx) {
    return PutSiteStock(tx, w.env, w.community, w.site_id, {100, 10, 2, 0, 0, 0});
  });
  ASSERT_TRUE(put.ok()) << put.error().detail;
  w.Tube("TB-000001", 3);
  auto stock = GetSiteStock(w.conn(), w.community, w.site_id);
  ASSERT_TRUE(stock.ok());
  EXPECT_EQ(stock->tubes.delivered, 3);
  EXPECT_EQ(stock->tubes.left, 2);
  EXPECT_EQ(stock->swabs.left, 97);
  EXPECT_EQ(stock->kits.used, 2);
  EXPECT_EQ(stock->kits.left, 8);
}

TEST(SiteStock, SendsOneLowStockMessagePerCrossing) {
  BatchWorld w;
  // 8 swabs, low at 4: the tube that takes the fourth sample crosses the threshold.
  ASSERT_TRUE(w.InTx([&](store::Tx& tx) {
                 return PutSiteStock(tx, w.env, w.community, w.site_id, {8, 0, 1, 0, 4, 0});
               }).ok());
  w.Tube("T-LOW-01", 3);
  EXPECT_TRUE(w.LowStockMessages().empty());
  w.Tube("T-LOW-02", 1);
  ASSERT_EQ(w.LowStockMessages().size(), 1u);
  EXPECT_NE(w.LowStockMessages()[0].payload.find("\"low\":[\"swabs\"]"), std::string::npos);
  w.Tube("T-LOW-03", 2);  // lower still: no second message
  EXPECT_EQ(w.LowStockMessages().size(), 1u);
  // A delivery lifts it above; falling again alerts again.
  ASSERT_TRUE(w.InTx([&](store::Tx& tx) {
                 return PutSiteStock(tx, w.env, w.community, w.site_id, {20, 0, 1, 0, 4, 0});
               }).ok());
  EXPECT_EQ(w.LowStockMessages().size(), 1u);
  w.Tube("T-LOW-04", 10);
  EXPECT_EQ(w.LowStockMessages().size(), 2u);
}

}  // namespace
}  // namespace swabline::service
