// Admission control through the App: a writer or readers deliberately slowed, offered more
// than they can serve, refuse the surplus with 503 overloaded and serve the rest.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "http/app.hpp"
#include "support/http/test_support.hpp"

namespace swabline::http {
namespace {

using std::chrono::milliseconds;
using test::AppWorld;

/// A write job that holds the writer until released: the slowed writer.
class HoldWriter : public store::WriteJob {
 public:
  HoldWriter(std::promise<void>& started, std::shared_future<void> release)
      : started_(started), release_(std::move(release)) {}
  bool Run(store::Tx&) override {
    started_.set_value();
    release_.wait();
    return true;
  }
  void Committed() override {}
  void Failed(const core::Error&) override {}

 private:
  std::promise<void>& started_;
  std::shared_future<void> release_;
};

/// The answers a test's requests got, from whichever thread answered them.
class Answers {
 public:
  Respond Keep() {
    return [this](Reply r) {
      Render(r);
      std::lock_guard lock(mu_);
      replies_.push_back(std::move(r));
    };
  }
  /// The answers, once there are `n` (failing the test after ten seconds without).
  std::vector<Reply> Await(std::size_t n) {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard lock(mu_);
        if (replies_.size() >= n) return replies_;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    std::lock_guard lock(mu_);
    ADD_FAILURE() << "only " << replies_.size() << " of " << n << " answers came";
    return replies_;
  }

 private:
  std::mutex mu_;
  std::vector<Reply> replies_;
};

/// The writer held by a HoldWriter until Release.
class HeldWriter {
 public:
  explicit HeldWriter(store::Writer& writer) {
    std::promise<void> started;
    writer.Submit(std::make_unique<HoldWriter>(started, release_.get_future().share()));
    started.get_future().wait();
  }
  ~HeldWriter() { Release(); }  // a failed test must not leave the writer held
  HeldWriter(const HeldWriter&) = delete;
  HeldWriter& operator=(const HeldWriter&) = delete;
  void Release() {
    if (!released_) release_.set_value();
    released_ = true;
  }

 private:
  std::promise<void> release_;
  bool released_ = false;
};

Reply Created(store::Tx&) { return JsonReply(201, std::string("{}")); }

void ExpectOverloaded(const Reply& r) {
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(boost::json::parse(r.body).at("code").as_string(), "overloaded");
  bool retry_after = false;
  for (const auto& [name, value] : r.headers)
    retry_after |= name == "Retry-After" && !value.empty();
  EXPECT_TRUE(retry_after) << "a 503 says when to come back";
}

TEST(AppAdmission, AFullWriterQueueRefusesTheSurplusAtOnceAndServesTheQueued) {
  AppWorld w;
  w.app().SetAdmission({milliseconds(0), 4});
  HeldWriter held(w.writer());
  Answers answers;
  for (int i = 0; i < 10; ++i) w.app().WritePublic(answers.Keep(), Created);
  const auto refused = answers.Await(6);
  ASSERT_EQ(refused.size(), 6u) << "the surplus is answered while the writer is still held";
  for (const Reply& r : refused) ExpectOverloaded(r);
  EXPECT_EQ(w.app().writer_admission().refused_full(), 6u);

  held.Release();
  const auto all = answers.Await(10);
  for (std::size_t i = 6; i < all.size(); ++i) EXPECT_EQ(all[i].status, 201);
}

TEST(AppAdmission, SlowedReadersRefuseWhatHasWaitedPastTheBudgetAndServeTheRest) {
  AppWorld w;  // two reader threads
  w.app().SetAdmission({milliseconds(20), 0});
  Answers answers;
  // Each read takes 10 ms: two threads serve 200 a second; 40 offered at once is 200 ms' work.
  for (int i = 0; i < 40; ++i)
    w.app().ReadPublic(answers.Keep(), [](store::Connection&) {
      std::this_thread::sleep_for(milliseconds(10));
      return JsonReply(200, std::string("{}"));
    });
  int served = 0;
  int refused = 0;
  for (const Reply& r : answers.Await(40)) {
    if (r.status == 200) {
      ++served;
    } else {
      ExpectOverloaded(r);
      ++refused;
    }
  }
  EXPECT_GT(refused, 0) << "a standing queue sheds load";
  EXPECT_GE(served, 4) << "the queue's head is served";
  EXPECT_EQ(static_cast<std::uint64_t>(refused), w.app().reader_admission().refused_late());
}

TEST(AppAdmission, AQuietServerRidesOutOneSlowCommitWithoutRefusingAnyone) {
  AppWorld w;
  w.app().SetAdmission({milliseconds(20), 0});
  HeldWriter held(w.writer());
  Answers answers;
  for (int i = 0; i < 5; ++i) w.app().WritePublic(answers.Keep(), Created);
  std::this_thread::sleep_for(milliseconds(100));  // far past the budget
  held.Release();
  for (const Reply& r : answers.Await(5))
    EXPECT_EQ(r.status, 201) << "taken together, in one batch";
}

}  // namespace
}  // namespace swabline::http
