#include "service/transport.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/boxes.hpp"
#include "store/results.hpp"
#include "store/tubes.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::LabWorld;
using Barcodes = std::vector<std::string>;

core::Result<BoxView> Create(LabWorld& w, const Actor& actor, const std::string& barcode) {
  return w.InTx([&](store::Tx& tx) { return CreateBox(tx, w.env, actor, barcode); });
}

core::Result<BoxView> Add(LabWorld& w, const std::string& box, const std::string& tube) {
  return w.InTx([&](store::Tx& tx) { return AddTubeToBox(tx, w.env, w.courier, box, tube); });
}

core::Result<BoxView> Dispatch(LabWorld& w, const std::string& box) {
  return w.InTx([&](store::Tx& tx) { return DispatchBox(tx, w.env, w.courier, box); });
}

template <typename T>
ErrorCode CodeOf(const core::Result<T>& r) {
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST(CreateBox, OpensAnEmptyBox) {
  LabWorld w;
  auto box = Create(w, w.courier, "BOX-0001");
  ASSERT_TRUE(box.ok()) << box.error().detail;
  EXPECT_EQ(box->box.barcode, "BOX-0001");
  EXPECT_EQ(box->box.status, core::BoxStatus::kOpen);
  EXPECT_EQ(box->box.created_at, test::kStart);
  EXPECT_EQ(store::FindBox(w.conn(), "BOX-0001")->created_by, "courier1");
  EXPECT_TRUE(box->tubes.empty());
  EXPECT_EQ(w.Audit().back().action, "box.create");
}

TEST(CreateBox, RefusesAnInvalidBarcode) {
  LabWorld w;
  EXPECT_EQ(CodeOf(Create(w, w.courier, "BOX 1")), ErrorCode::kInvalidBarcode);
  EXPECT_EQ(CodeOf(Create(w, w.courier, "B1")), ErrorCode::kInvalidBarcode);
}

TEST(CreateBox, RefusesABarcodeABoxOrATubeHadBefore) {
  LabWorld w;
  w.Tube("T-000001");
  ASSERT_TRUE(Create(w, w.courier, "BOX-0001").ok());
  EXPECT_EQ(CodeOf(Create(w, w.courier, "BOX-0001")), ErrorCode::kBarcodeInUse);
  EXPECT_EQ(CodeOf(Create(w, w.courier, "T-000001")), ErrorCode::kBarcodeInUse);
}

TEST(CreateBox, IsForCouriers) {
  LabWorld w;
  EXPECT_EQ(CodeOf(Create(w, w.recorder, "BOX-0001")), ErrorCode::kForbidden);
  EXPECT_TRUE(Create(w, Actor::System(), "BOX-0002").ok());
}

TEST(AddTubeToBox, PutsASealedTubeInTheBox) {
  LabWorld w;
  w.Tube("T-000001");
  w.Tube("T-000002");
  ASSERT_TRUE(Create(w, w.courier, "BOX-0001").ok());
  w.clock.Advance(test::kHour);
  ASSERT_TRUE(Add(w, "BOX-0001", "T-000002").ok());
  w.clock.Advance(test::kHour);
  auto box = Add(w, "BOX-0001", "T-000001");
  ASSERT_TRUE(box.ok()) << box.error().detail;
  EXPECT_EQ(box->tubes, (Barcodes{"T-000002", "T-000001"}));
  auto tube = store::FindTube(w.conn(), "T-000001");
  EXPECT_EQ(tube->status, core::TubeStatus::kInBox);
  EXPECT_EQ(tube->box_barcode, "BOX-0001");
  EXPECT_EQ(tube->boxed_at, test::kStart + 2 * test::kHour);
  EXPECT_EQ(w.Audit().back().action, "box.add_tube");
}

TEST(AddTubeToBox, ChecksInTheContractsOrder) {
  LabWorld w;
  w.Tube("T-OPEN01", 1, false);
  w.Tube("T-000001");
  w.Tube("T-000002");
  w.Tube("T-000003");
  w.Box("BOX-0001", {"T-000001"});
  w.Box("BOX-SENT", {"T-000002"});
  ASSERT_TRUE(Dispatch(w, "BOX-SENT").ok());

  EXPECT_EQ(CodeOf(Add(w, "BOX-NONE", "T-NONE01")), ErrorCode::kUnknownBox);
  EXPECT_EQ(CodeOf(Add(w, "BOX-SENT", "T-NONE01")), ErrorCode::kUnknownTube);
  EXPECT_EQ(CodeOf(Add(w, "BOX-SENT", "T-OPEN01")), ErrorCode::kTubeNotSealed);
  EXPECT_EQ(CodeOf(Add(w, "BOX-SENT", "T-000001")), ErrorCode::kTubeInBox);
  EXPECT_EQ(CodeOf(Add(w, "BOX-SENT", "T-000003")), ErrorCode::kBoxNotOpen);
}

TEST(AddTubeToBox, NamesTheBoxATubeIsAlreadyIn) {
  LabWorld w;
  w.Tube("T-000001");
  w.Box("BOX-0001", {"T-000001"});
  w.Box("BOX-0002", {});
  for (const char* box : {"BOX-0001", "BOX-0002"}) {
    auto again = Add(w, box, "T-000001");
    ASSERT_EQ(CodeOf(again), ErrorCode::kTubeInBox) << box;
    ASSERT_EQ(again.error().extras.size(), 1u);
    EXPECT_EQ(again.error().extras[0], (std::pair<std::string, std::string>{"box", "BOX-0001"}));
  }
  EXPECT_EQ(store::FindTube(w.conn(), "T-000001")->box_barcode, "BOX-0001");
}

TEST(AddTubeToBox, RefusesATubeResultedBeforeItWasBoxed) {
  LabWorld w;
  w.Tube("T-000001");
  w.InTx([&](store::Tx& tx) {
    store::InsertTubeResult(tx, {"T-000001", "negative", {}, {}, {}, test::kStart, "lab1", {}});
    store::SetTubeResult(tx, "T-000001", "negative", test::kStart);
  });
  w.Box("BOX-0001", {});
  EXPECT_EQ(CodeOf(Add(w, "BOX-0001", "T-000001")), ErrorCode::kTubeInBox);
}

TEST(DispatchBox, SendsTheBoxAndItsTubesInTransit) {
  LabWorld w;
  w.Tube("T-000001");
  w.Tube("T-000002");
  w.Box("BOX-0001", {"T-000001", "T-000002"});
  w.clock.Advance(test::kHour);
  auto box = Dispatch(w, "BOX-0001");
  ASSERT_TRUE(box.ok()) << box.error().detail;
  EXPECT_EQ(box->box.status, core::BoxStatus::kInTransit);
  EXPECT_EQ(box->box.dispatched_at, test::kStart + test::kHour);
  EXPECT_EQ(box->tubes, (Barcodes{"T-000001", "T-000002"}));
  for (const char* t : {"T-000001", "T-000002"}) {
    auto tube = store::FindTube(w.conn(), t);
    EXPECT_EQ(tube->status, core::TubeStatus::kInTransit);
    EXPECT_EQ(tube->dispatched_at, test::kStart + test::kHour);
  }
  EXPECT_EQ(w.Audit().back().action, "box.dispatch");
}

TEST(DispatchBox, DispatchingABoxInTransitChangesNothing) {
  LabWorld w;
  w.Tube("T-000001");
  w.Box("BOX-0001", {"T-000001"});
  ASSERT_TRUE(Dispatch(w, "BOX-0001").ok());
  const std::size_t audits = w.Audit().size();
  w.clock.Advance(test::kHour);
  auto again = Dispatch(w, "BOX-0001");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->box.status, core::BoxStatus::kInTransit);
  EXPECT_EQ(again->box.dispatched_at, test::kStart);
  EXPECT_EQ(w.Audit().size(), audits);
}

TEST(DispatchBox, RefusesAnEmptyOrUnknownBox) {
  LabWorld w;
  w.Box("BOX-0001", {});
  EXPECT_EQ(CodeOf(Dispatch(w, "BOX-0001")), ErrorCode::kBoxEmpty);
  EXPECT_EQ(CodeOf(Dispatch(w, "BOX-NONE")), ErrorCode::kUnknownBox);
  EXPECT_EQ(store::FindBox(w.conn(), "BOX-0001")->status, core::BoxStatus::kOpen);
}

TEST(GetBox, ShowsTheBoxToThoseWhoReadTubes) {
  LabWorld w;
  w.Tube("T-000001");
  w.Box("BOX-0001", {"T-000001"});
  auto box = GetBox(w.conn(), w.ActorAt(core::Role::kViewer, ""), "BOX-0001");
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->tubes, (Barcodes{"T-000001"}));
  EXPECT_EQ(CodeOf(GetBox(w.conn(), w.lab, "BOX-NONE")), ErrorCode::kUnknownBox);
}

}  // namespace
}  // namespace swabline::service
