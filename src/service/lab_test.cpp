#include "service/lab.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/boxes.hpp"
#include "store/tubes.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::LabWorld;
using Barcodes = std::vector<std::string>;

template <typename T>
ErrorCode CodeOf(const core::Result<T>& r) {
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

core::Result<ReceiptReport> Receive(LabWorld& w, const std::string& box, const Barcodes& found) {
  return w.InTx([&](store::Tx& tx) { return ReceiveBox(tx, w.env, w.lab, box, found); });
}

/// Three tubes boxed and dispatched in BOX-0001, and T-000004 (sealed) in no box.
void SeedBox(LabWorld& w) {
  for (const char* t : {"T-000001", "T-000002", "T-000003", "T-000004"}) w.Tube(t);
  w.Box("BOX-0001", {"T-000001", "T-000002", "T-000003"});
  w.InTx([&](store::Tx& tx) { return DispatchBox(tx, w.env, w.courier, "BOX-0001").ok(); });
  w.clock.Advance(test::kHour);
}

std::vector<std::string> DiscrepancyKinds(LabWorld& w) {
  std::vector<std::string> out;
  auto page = ListDiscrepancies(w.conn(), w.lab, std::nullopt, 0, 100);
  for (const auto& d : page->discrepancies)
    out.push_back(d.tube + ":" + d.kind + (d.resolved_at ? ":resolved" : ""));
  return out;
}

TEST(ReceiveBox, ReceivesWhatWasFoundAndFlagsWhatWasMissingOrUnexpected) {
  LabWorld w;
  SeedBox(w);
  auto receipt =
      Receive(w, "BOX-0001", {"T-000003", "T-000004", "T-000001", "T-000003", "X-000009"});
  ASSERT_TRUE(receipt.ok()) << receipt.error().detail;
  EXPECT_EQ(receipt->received, (Barcodes{"T-000003", "T-000001"}));
  EXPECT_EQ(receipt->missing, (Barcodes{"T-000002"}));
  EXPECT_EQ(receipt->unexpected, (Barcodes{"T-000004", "X-000009"}));

  for (const char* t : {"T-000001", "T-000003"}) {
    auto tube = store::FindTube(w.conn(), t);
    EXPECT_EQ(tube->status, core::TubeStatus::kReceived) << t;
    EXPECT_EQ(tube->received_at, test::kStart + test::kHour) << t;
  }
  EXPECT_EQ(w.TubeStatus("T-000002"), "in_transit");
  EXPECT_EQ(w.TubeStatus("T-000004"), "sealed");  // not this box's: flagged, not taken in
  auto box = store::FindBox(w.conn(), "BOX-0001");
  EXPECT_EQ(box->status, core::BoxStatus::kReceived);
  EXPECT_EQ(box->received_at, test::kStart + test::kHour);
  EXPECT_EQ(DiscrepancyKinds(w),
            (Barcodes{"T-000002:missing", "T-000004:unexpected", "X-000009:unexpected"}));
  EXPECT_EQ(w.Audit().back().action, "box.receive");
}

TEST(ReceiveBox, AReceiptRepeatedAnswersTheSameAndRecordsNothingTwice) {
  LabWorld w;
  SeedBox(w);
  const Barcodes found = {"T-000001", "T-000003", "X-000009"};
  auto first = Receive(w, "BOX-0001", found);
  ASSERT_TRUE(first.ok());
  w.clock.Advance(test::kHour);
  auto again = Receive(w, "BOX-0001", found);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->received, first->received);
  EXPECT_EQ(again->missing, first->missing);
  EXPECT_EQ(again->unexpected, first->unexpected);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM discrepancies"), 2);
  EXPECT_EQ(store::FindTube(w.conn(), "T-000001")->received_at, test::kStart + test::kHour);
  EXPECT_EQ(store::FindBox(w.conn(), "BOX-0001")->received_at, test::kStart + test::kHour);
}

TEST(ReceiveBox, ATubeFoundAfterItWasMissingSettlesItsDiscrepancy) {
  LabWorld w;
  SeedBox(w);
  ASSERT_TRUE(Receive(w, "BOX-0001", {"T-000001", "T-000003"}).ok());
  auto later = Receive(w, "BOX-0001", {"T-000001", "T-000002", "T-000003"});
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->missing.empty());
  EXPECT_EQ(w.TubeStatus("T-000002"), "received");
  EXPECT_EQ(DiscrepancyKinds(w), (Barcodes{"T-000002:missing:resolved"}));
}

TEST(ReceiveBox, RefusesAnUnknownBoxABadScanAndOtherRoles) {
  LabWorld w;
  SeedBox(w);
  EXPECT_EQ(CodeOf(Receive(w, "BOX-NONE", {"T-000001"})), ErrorCode::kUnknownBox);
  auto bad = Receive(w, "BOX-0001", {"T-000001", "T 0002"});
  ASSERT_EQ(CodeOf(bad), ErrorCode::kInvalidBarcode);
  EXPECT_EQ(bad.error().extras.at(0).second, "T 0002");
  auto courier = w.InTx(
      [&](store::Tx& tx) { return ReceiveBox(tx, w.env, w.courier, "BOX-0001", {"T-000001"}); });
  EXPECT_EQ(CodeOf(courier), ErrorCode::kForbidden);
  EXPECT_EQ(store::FindBox(w.conn(), "BOX-0001")->status, core::BoxStatus::kInTransit);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM discrepancies"), 0);
}

TEST(ReceiveBox, LeavesATubeResultedBeforeItsReceiptResulted) {
  LabWorld w;
  SeedBox(w);
  ASSERT_TRUE(
      w.InTx([&](store::Tx& tx) {
         return UploadResults(tx, w.env, w.lab, {{0, "T-000001", "negative", {}, {}, "", ""}});
       }).ok());
  ASSERT_TRUE(Receive(w, "BOX-0001", {"T-000001", "T-000002", "T-000003"}).ok());
  EXPECT_EQ(w.TubeStatus("T-000001"), "resulted");
  EXPECT_EQ(w.TubeStatus("T-000002"), "received");
}

TEST(ResolveDiscrepancy, ClosesItWithAResolution) {
  LabWorld w;
  SeedBox(w);
  ASSERT_TRUE(Receive(w, "BOX-0001", {"T-000001", "T-000002"}).ok());
  auto open = ListDiscrepancies(w.conn(), w.lab, true, 0, 100);
  ASSERT_EQ(open->discrepancies.size(), 1u);
  const std::int64_t id = open->discrepancies[0].id;
  auto resolve = [&](const std::string& resolution) {
    return w.InTx(
        [&](store::Tx& tx) { return ResolveDiscrepancy(tx, w.env, w.lab, id, resolution); });
  };

  EXPECT_EQ(CodeOf(resolve("  ")), ErrorCode::kReasonRequired);
  w.clock.Advance(test::kHour);
  auto resolved = resolve("tube lost in transit; members resampled");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->resolution, "tube lost in transit; members resampled");
  EXPECT_EQ(resolved->resolved_at, test::kStart + 2 * test::kHour);
  EXPECT_EQ(w.Audit().back().action, "discrepancy.resolve");
  EXPECT_EQ(resolve("another story")->resolution, "tube lost in transit; members resampled");
  EXPECT_TRUE(ListDiscrepancies(w.conn(), w.lab, true, 0, 100)->discrepancies.empty());
  EXPECT_EQ(ListDiscrepancies(w.conn(), w.lab, false, 0, 100)->discrepancies.size(), 1u);
  auto unknown = w.InTx(
      [&](store::Tx& tx) { return ResolveDiscrepancy(tx, w.env, w.lab, id + 100, "found"); });
  EXPECT_EQ(CodeOf(unknown), ErrorCode::kUnknownDiscrepancy);
}

TEST(ListDiscrepancies, PagesOldestFirst) {
  LabWorld w;
  SeedBox(w);
  ASSERT_TRUE(Receive(w, "BOX-0001", {"X-000001", "X-000002", "X-000003"}).ok());
  auto first = ListDiscrepancies(w.conn(), w.lab, true, 0, 4);
  ASSERT_EQ(first->discrepancies.size(), 4u);
  ASSERT_TRUE(first->next_cursor.has_value());
  auto second = ListDiscrepancies(w.conn(), w.lab, true, *first->next_cursor, 4);
  ASSERT_EQ(second->discrepancies.size(), 2u);
  EXPECT_FALSE(second->next_cursor.has_value());
  EXPECT_EQ(second->discrepancies.back().tube, "X-000003");
}

}  // namespace
}  // namespace swabline::service
