#include "core/receipt.hpp"

#include <gtest/gtest.h>

namespace swabline::core {
namespace {

using Barcodes = std::vector<std::string>;

TEST(ReconcileReceipt, ReceivesEveryTubeWhenTheBoxIsComplete) {
  ReceiptOutcome out = ReconcileReceipt({"T00001", "T00002"}, {"T00002", "T00001"});
  EXPECT_EQ(out.received, (Barcodes{"T00002", "T00001"}));
  EXPECT_TRUE(out.missing.empty());
  EXPECT_TRUE(out.unexpected.empty());
}

TEST(ReconcileReceipt, ReportsMissingInTheBoxsOrderAndUnexpectedInTheOrderFound) {
  ReceiptOutcome out = ReconcileReceipt({"T00001", "T00002", "T00003", "T00004"},
                                        {"X00009", "T00003", "X00008", "T00001"});
  EXPECT_EQ(out.received, (Barcodes{"T00003", "T00001"}));
  EXPECT_EQ(out.missing, (Barcodes{"T00002", "T00004"}));
  EXPECT_EQ(out.unexpected, (Barcodes{"X00009", "X00008"}));
}

TEST(ReconcileReceipt, CountsATubeScannedTwiceOnce) {
  ReceiptOutcome out =
      ReconcileReceipt({"T00001", "T00002"}, {"T00001", "X00009", "T00001", "X00009"});
  EXPECT_EQ(out.received, (Barcodes{"T00001"}));
  EXPECT_EQ(out.missing, (Barcodes{"T00002"}));
  EXPECT_EQ(out.unexpected, (Barcodes{"X00009"}));
}

TEST(ReconcileReceipt, IgnoresEmptyScans) {
  ReceiptOutcome out = ReconcileReceipt({"T00001"}, {"", "T00001", ""});
  EXPECT_EQ(out.received, (Barcodes{"T00001"}));
  EXPECT_TRUE(out.unexpected.empty());
}

TEST(ReconcileReceipt, FindsEverythingMissingInAnEmptyScan) {
  ReceiptOutcome out = ReconcileReceipt({"T00001", "T00002"}, {});
  EXPECT_TRUE(out.received.empty());
  EXPECT_EQ(out.missing, (Barcodes{"T00001", "T00002"}));
}

TEST(ReconcileReceipt, FindsEverythingUnexpectedInAnEmptyBox) {
  ReceiptOutcome out = ReconcileReceipt({}, {"T00001"});
  EXPECT_TRUE(out.received.empty());
  EXPECT_TRUE(out.missing.empty());
  EXPECT_EQ(out.unexpected, (Barcodes{"T00001"}));
}

}  // namespace
}  // namespace swabline::core
