// Scans through the group-commit writer while storage fails for real (a fault-injecting
// SQLite VFS): every scan is answered, none acknowledged is lost, none refused is half kept.

#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/sampling.hpp"
#include "store/writer.hpp"
#include "support/service/transport_test_support.hpp"
#include "support/store/fault_vfs_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using store::test::FaultVfs;

/// What became of one scan: its sample id when acknowledged, else the error it was answered.
struct ScanAnswer {
  std::optional<std::int64_t> sample_id;
  ErrorCode code = ErrorCode::kInternal;
};

/// One scan (AddSample) as the HTTP layer runs it: kept when it succeeds, answered once the
/// batch's fate is known. `before` runs first on the writer thread: the fault switch.
class ScanJob : public store::WriteJob {
 public:
  ScanJob(test::LabWorld& w, std::string tube, std::string person, void (*before)())
      : w_(w), tube_(std::move(tube)), person_(std::move(person)), before_(before) {}
  std::future<ScanAnswer> answer() { return promise_.get_future(); }

  bool Run(store::Tx& tx) override {
    if (before_) before_();
    auto added = AddSample(tx, w_.env, w_.recorder, tube_, {person_, {}, false, {}});
    if (added) {
      answer_.sample_id = added->id;
    } else {
      answer_.code = added.error().code;
    }
    return added.ok();
  }
  void Committed() override { promise_.set_value(answer_); }
  void Failed(const core::Error& error) override { promise_.set_value({std::nullopt, error.code}); }

 private:
  test::LabWorld& w_;
  std::string tube_;
  std::string person_;
  void (*before_)();
  ScanAnswer answer_;
  std::promise<ScanAnswer> promise_;
};

void FillTheDisk() { FaultVfs::Get().SetDiskFull(true); }
void BreakFsync() { FaultVfs::Get().SetSyncFails(true); }

/// A LabWorld with four open tubes and a writer on the fault-injecting VFS.
struct ScanWorld : test::LabWorld {
  std::vector<std::string> tubes = {"T-FLT01", "T-FLT02", "T-FLT03", "T-FLT04"};
  std::unique_ptr<store::Writer> writer;

  ScanWorld() {
    FaultVfs::Get().Clear();
    for (const std::string& t : tubes) Tube(t, 0, false);
    writer = std::make_unique<store::Writer>(store::test::FaultyUri(db.path()));
  }
  ~ScanWorld() { FaultVfs::Get().Clear(); }

  /// Submits scans of people [from, to) at once, the one at `fault_at` first switching
  /// `fault` on, and waits for every answer.
  std::vector<ScanAnswer> Scan(int from, int to, int fault_at = -1, void (*fault)() = nullptr) {
    std::vector<std::future<ScanAnswer>> futures;
    for (int i = from; i < to; ++i) {
      auto job = std::make_unique<ScanJob>(*this, tubes[static_cast<std::size_t>(i) / 10],
                                           people[static_cast<std::size_t>(i)],
                                           i == fault_at ? fault : nullptr);
      futures.push_back(job->answer());
      writer->Submit(std::move(job));
    }
    std::vector<ScanAnswer> out;
    for (auto& f : futures) out.push_back(f.get());  // every scan is answered
    return out;
  }

  /// Closes the writer and counts, on a fresh connection, what is on disk.
  std::int64_t SamplesOnDisk(const std::vector<ScanAnswer>& acknowledged) {
    writer->Stop();
    store::Connection fresh(db.path(), store::OpenMode::kReadOnly);
    for (const ScanAnswer& a : acknowledged) {
      auto q = fresh.Query("SELECT 1 FROM samples WHERE id = ?");
      q->Bind(1, *a.sample_id);
      EXPECT_EQ(q->Next(), store::Step::kRow) << "acknowledged sample " << *a.sample_id << " lost";
    }
    auto q = fresh.Query("SELECT COUNT(*), (SELECT SUM(count) FROM tubes) FROM samples");
    EXPECT_EQ(q->Next(), store::Step::kRow);
    EXPECT_EQ(q->Int(0), q->Int(1)) << "tube counts disagree with the samples kept";
    return q->Int(0);
  }
};

std::vector<ScanAnswer> Acknowledged(const std::vector<ScanAnswer>& answers) {
  std::vector<ScanAnswer> out;
  for (const ScanAnswer& a : answers)
    if (a.sample_id) out.push_back(a);
  return out;
}

TEST(StorageFaults, DiskFullDuringScansAnswersEveryScanLosesNoneAcknowledgedAndScansResume) {
  ScanWorld w;
  auto answers = w.Scan(0, 30, 12, FillTheDisk);

  auto acknowledged = Acknowledged(answers);
  int refused = 0;
  for (const ScanAnswer& a : answers) {
    if (a.sample_id) continue;
    EXPECT_EQ(a.code, ErrorCode::kStorageUnavailable);
    ++refused;
  }
  EXPECT_GE(refused, 18);  // the fault's own batch and every later one
  EXPECT_GT(FaultVfs::Get().refused_writes(), 0);

  // Space frees: the refused scans are sent again and succeed, nothing of them was kept.
  FaultVfs::Get().Clear();
  EXPECT_FALSE(w.writer->failed());
  std::vector<ScanAnswer> retried;
  for (int i = 0; i < 30; ++i) {
    if (answers[static_cast<std::size_t>(i)].sample_id) continue;
    auto again = w.Scan(i, i + 1);
    EXPECT_TRUE(again[0].sample_id.has_value()) << "scan " << i;
    acknowledged.push_back(again[0]);
  }
  EXPECT_EQ(w.SamplesOnDisk(acknowledged), 30);
}

TEST(StorageFaults, AFailedFsyncAcknowledgesNoScanOfItsBatchAndRefusesLaterWrites) {
  ScanWorld w;
  auto answers = w.Scan(0, 30, 12, BreakFsync);

  const auto acknowledged = Acknowledged(answers);
  EXPECT_LT(acknowledged.size(), 13u);  // the scans before the fault, at most
  for (std::size_t i = 12; i < answers.size(); ++i) {
    EXPECT_FALSE(answers[i].sample_id.has_value()) << "scan " << i << " acknowledged";
    EXPECT_EQ(answers[i].code, ErrorCode::kStorageUnavailable);
  }
  EXPECT_TRUE(w.writer->failed());

  FaultVfs::Get().Clear();
  auto later = w.Scan(30, 31);
  EXPECT_FALSE(later[0].sample_id.has_value());
  EXPECT_EQ(later[0].code, ErrorCode::kStorageUnavailable);
  // What the failed batch left is unknown; what was acknowledged before it is all there.
  EXPECT_GE(w.SamplesOnDisk(acknowledged), static_cast<std::int64_t>(acknowledged.size()));
}

}  // namespace
}  // namespace swabline::service
