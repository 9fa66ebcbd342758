// The writer publishes what its jobs published only once their batch has committed.
#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "store/writer.hpp"
#include "support/store/writer_test_support.hpp"

namespace swabline::store {
namespace {

using test::AddNote;
using test::FnJob;
using test::Gate;
using test::Outcome;
using test::WriterWorld;

struct Heard {
  std::mutex mu;
  std::vector<std::int64_t> subjects;
  std::vector<std::size_t> calls;  // events per call

  void Listen(Writer& writer) {
    writer.SetEventSink([this](std::span<const core::LiveEvent> events) {
      std::lock_guard lock(mu);
      calls.push_back(events.size());
      for (const auto& e : events) subjects.push_back(e.subject);
    });
  }
  std::vector<std::int64_t> Subjects() {
    std::lock_guard lock(mu);
    return subjects;
  }
};

std::unique_ptr<WriteJob> PublishingJob(std::int64_t subject, Outcome& outcome, bool keep = true,
                                        bool throws = false) {
  return std::make_unique<FnJob>(
      [=](Tx& tx) {
        core::LiveEvent e;
        e.subject = subject;
        tx.Publish(e);
        if (throws) throw std::runtime_error("boom");
        return AddNote(tx, "n" + std::to_string(subject)) && keep;
      },
      outcome);
}

TEST(WriterEvents, PublishesOnlyTheEventsOfJobsItKeptOncePerBatch) {
  WriterWorld w;
  Heard heard;
  heard.Listen(w.writer);
  Gate gate;
  gate.Hold(w.writer);
  Outcome a, b, c, d;
  w.writer.Submit(PublishingJob(1, a));
  w.writer.Submit(PublishingJob(2, b, /*keep=*/false));
  w.writer.Submit(PublishingJob(3, c, true, /*throws=*/true));
  w.writer.Submit(PublishingJob(4, d));
  gate.Release();
  EXPECT_EQ(d.Wait(), "committed");
  EXPECT_EQ(heard.Subjects(), (std::vector<std::int64_t>{1, 4}));
  std::lock_guard lock(heard.mu);
  EXPECT_EQ(heard.calls, (std::vector<std::size_t>{2}));
}

TEST(WriterEvents, TxWithoutAWriterDropsWhatItPublishes) {
  WriterWorld w;
  Heard heard;
  heard.Listen(w.writer);
  Tx tx(w.t.db());
  tx.Publish(core::LiveEvent{});
  Outcome a;
  w.writer.Submit(PublishingJob(7, a));
  EXPECT_EQ(a.Wait(), "committed");
  EXPECT_EQ(heard.Subjects(), (std::vector<std::int64_t>{7}));
}

}  // namespace
}  // namespace swabline::store
