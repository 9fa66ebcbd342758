#include "service/status.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/lab.hpp"
#include "service/personal_code.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::LabWorld;

/// A world of LabWorld's community (its round 1 over that community, a site in it) plus one
/// resident in a second community of the same street.
struct StatusWorld : LabWorld {
  static constexpr std::string_view kOther = "朝阳区/和平街街道/樱花园社区";
  std::string neighbour = test::IdNumber(900);

  StatusWorld() {
    ImportOk(
        test::Csv({neighbour + ",邻居,13800000000,朝阳区,和平街街道,樱花园社区,2号楼,1单元,201,"}));
  }

  PersonStatusView Status(const std::string& person) {
    auto v = GetPersonStatus(conn(), env, Actor::System(), person);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().detail);
    return v.ok() ? *v : PersonStatusView{};
  }

  std::int64_t NewRound(std::string_view place_path) {
    const core::Place place = PlaceAt(place_path);
    auto round = InTx([&](store::Tx& tx) {
      return CreateRound(tx, env, Actor::System(),
                         service::NewRound{"下一轮", {place.id}, 10, {}, {}});
    });
    EXPECT_TRUE(round.ok()) << (round.ok() ? "" : round.error().detail);
    return round.ok() ? round->id : 0;
  }

  void Close(std::int64_t round) {
    auto closed = InTx([&](store::Tx& tx) { return CloseRound(tx, env, Actor::System(), round); });
    EXPECT_TRUE(closed.ok()) << (closed.ok() ? "" : closed.error().detail);
  }

  /// Opens a tube in `round` (at the world's site) and samples `person` into it.
  std::int64_t Sample(std::int64_t round, const std::string& barcode, const std::string& person,
                      int capacity = 10) {
    std::int64_t id = 0;
    InTx([&](store::Tx& tx) {
      auto tube = OpenTube(tx, env, recorder, {barcode, round, site_id, capacity, {}, {}});
      EXPECT_TRUE(tube.ok()) << (tube.ok() ? "" : tube.error().detail);
      auto added = AddSample(tx, env, recorder, barcode, {person, {}, false, {}});
      EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().detail);
      if (added.ok()) id = added->id;
    });
    return id;
  }

  void Result(const std::string& barcode, const std::string& result) {
    InTx([&](store::Tx& tx) {
      auto sealed = SealTube(tx, env, recorder, barcode);
      EXPECT_TRUE(sealed.ok() || sealed.error().code == ErrorCode::kTubeEmpty);
      UploadedResult row;
      row.tube = barcode;
      row.result = result;
      auto report = UploadResults(tx, env, lab, {row});
      EXPECT_TRUE(report.ok() && report->rejected.empty());
    });
  }
};

std::vector<std::string> ReasonCodes(const PersonStatusView& v) {
  std::vector<std::string> out;
  for (const auto& r : v.status.reasons) out.push_back(r.code);
  return out;
}

bool Missed(const PersonStatusView& v) {
  for (const auto& r : v.status.reasons)
    if (r.code == "missed_round") return true;
  return false;
}

TEST(PersonStatus, BeforeSamplingIsNotSampledAndGreenForTheLatestRound) {
  StatusWorld w;
  auto v = w.Status(w.people[0]);
  EXPECT_EQ(v.status.state, core::PersonState::kNotSampled);
  EXPECT_EQ(v.status.color, core::Color::kGreen);
  EXPECT_EQ(v.latest_round_id, w.round_id);
  EXPECT_FALSE(v.latest.has_value());
  EXPECT_TRUE(v.status.reasons.empty());
}

TEST(PersonStatus, SomeoneNoRoundCoversHasNoLatestRound) {
  StatusWorld w;
  auto v = w.Status(w.neighbour);
  EXPECT_EQ(v.status.state, core::PersonState::kNotSampled);
  EXPECT_FALSE(v.latest_round_id.has_value());
  EXPECT_FALSE(Missed(v));
}

TEST(PersonStatus, AfterSamplingIsPendingAndNamesTheTube) {
  StatusWorld w;
  w.Sample(w.round_id, "S-000001", w.people[0]);
  auto v = w.Status(w.people[0]);
  EXPECT_EQ(v.status.state, core::PersonState::kPending);
  ASSERT_TRUE(v.latest.has_value());
  EXPECT_EQ(v.latest->tube, "S-000001");
  EXPECT_EQ(v.latest->round_id, w.round_id);
  EXPECT_EQ(v.latest->sampled_at, test::kStart);
  EXPECT_FALSE(v.latest->result.has_value());
}

TEST(PersonStatus, AVoidedSampleIsForgotten) {
  StatusWorld w;
  const std::int64_t sample = w.Sample(w.round_id, "S-000001", w.people[0]);
  auto voided = w.InTx(
      [&](store::Tx& tx) { return VoidSample(tx, w.env, w.recorder, sample, "wrong person"); });
  ASSERT_TRUE(voided.ok()) << voided.error().detail;
  auto v = w.Status(w.people[0]);
  EXPECT_EQ(v.status.state, core::PersonState::kNotSampled);
  EXPECT_FALSE(v.latest.has_value());
}

TEST(PersonStatus, ResultsGiveNegativePoolPositivePositiveAndResample) {
  StatusWorld w;
  w.Sample(w.round_id, "S-NEG001", w.people[0]);
  w.Result("S-NEG001", "negative");
  auto negative = w.Status(w.people[0]);
  EXPECT_EQ(negative.status.state, core::PersonState::kNegative);
  EXPECT_EQ(negative.status.color, core::Color::kGreen);
  EXPECT_EQ(negative.latest->result, core::TubeResult::kNegative);

  // The people share a unit: a positive pool puts it under temporary control.
  w.Sample(w.round_id, "S-POOL01", w.people[1]);
  w.Result("S-POOL01", "positive");
  auto pool = w.Status(w.people[1]);
  EXPECT_EQ(pool.status.state, core::PersonState::kPoolPositive);
  EXPECT_EQ(pool.status.color, core::Color::kYellow);
  EXPECT_EQ(ReasonCodes(pool), (std::vector<std::string>{"pool_positive", "zone_temporary"}));
  EXPECT_EQ(ReasonCodes(w.Status(w.people[0])), std::vector<std::string>{"zone_temporary"});

  w.Sample(w.round_id, "S-INV001", w.people[2]);
  w.Result("S-INV001", "invalid");
  auto resample = w.Status(w.people[2]);
  EXPECT_EQ(resample.status.state, core::PersonState::kResampleRequired);
  EXPECT_EQ(resample.status.color, core::Color::kYellow);

  w.Sample(w.round_id, "S-ONE001", w.people[3], 1);
  w.Result("S-ONE001", "positive");
  auto positive = w.Status(w.people[3]);
  EXPECT_EQ(positive.status.state, core::PersonState::kPositive);
  EXPECT_EQ(positive.status.color, core::Color::kRed);
}

TEST(PersonStatus, ANewRoundLeavesANegativePersonNotSampledButKeepsTheirLatestSample) {
  StatusWorld w;
  w.Sample(w.round_id, "S-000001", w.people[0]);
  w.Result("S-000001", "negative");
  const std::int64_t next = w.NewRound(test::kLabCommunity);
  auto v = w.Status(w.people[0]);
  EXPECT_EQ(v.status.state, core::PersonState::kNotSampled);
  EXPECT_EQ(v.latest_round_id, next);
  ASSERT_TRUE(v.latest.has_value());
  EXPECT_EQ(v.latest->round_id, w.round_id);
  EXPECT_FALSE(Missed(v));  // the earlier round is still open
}

TEST(PersonStatus, ANewRoundDoesNotEraseAPositiveOrPoolPositive) {
  StatusWorld w;
  w.Sample(w.round_id, "S-POOL01", w.people[0]);
  w.Result("S-POOL01", "positive");
  w.Sample(w.round_id, "S-ONE001", w.people[1], 1);
  w.Result("S-ONE001", "positive");
  w.NewRound(test::kLabCommunity);
  EXPECT_EQ(w.Status(w.people[0]).status.state, core::PersonState::kPoolPositive);
  EXPECT_EQ(w.Status(w.people[1]).status.state, core::PersonState::kPositive);
}

TEST(PersonStatus, ARoundOverAnotherCommunityIsNotTheirs) {
  StatusWorld w;
  const std::int64_t other = w.NewRound(StatusWorld::kOther);
  EXPECT_EQ(w.Status(w.people[0]).latest_round_id, w.round_id);
  EXPECT_EQ(w.Status(w.neighbour).latest_round_id, other);
}

TEST(PersonStatus, ARoundOverAnAncestorCoversTheirHome) {
  StatusWorld w;
  const std::int64_t street = w.NewRound("朝阳区/和平街街道");
  EXPECT_EQ(w.Status(w.people[0]).latest_round_id, street);
  EXPECT_EQ(w.Status(w.neighbour).latest_round_id, street);
}

TEST(PersonStatus, ASampleInANewerRoundThanTheirHomesCountsAsTheirLatest) {
  StatusWorld w;
  // The neighbour walks up to the lab community's site in a round over that community only.
  const std::int64_t lab_round = w.NewRound(test::kLabCommunity);
  w.Sample(lab_round, "S-000001", w.neighbour);
  auto v = w.Status(w.neighbour);
  EXPECT_EQ(v.latest_round_id, lab_round);
  EXPECT_EQ(v.status.state, core::PersonState::kPending);
}

TEST(PersonStatus, MissingAClosedRoundCarriesMissedRoundUntilSampledInALaterOne) {
  StatusWorld w;
  w.Sample(w.round_id, "S-000001", w.people[1]);
  w.Close(w.round_id);
  auto missed = w.Status(w.people[0]);
  EXPECT_TRUE(Missed(missed));
  EXPECT_EQ(missed.status.color, core::Color::kGreen);  // a pop-up, not a colour
  EXPECT_FALSE(Missed(w.Status(w.people[1])));

  const std::int64_t next = w.NewRound(test::kLabCommunity);
  EXPECT_TRUE(Missed(w.Status(w.people[0])));
  w.Sample(next, "S-000002", w.people[0]);
  auto cleared = w.Status(w.people[0]);
  EXPECT_FALSE(Missed(cleared));
  EXPECT_EQ(cleared.status.state, core::PersonState::kPending);
  EXPECT_EQ(cleared.latest_round_id, next);
}

TEST(PersonStatus, OnlyTheLatestClosedRoundCounts) {
  StatusWorld w;
  w.Close(w.round_id);  // people[0] missed round 1
  const std::int64_t second = w.NewRound(test::kLabCommunity);
  w.Sample(second, "S-000001", w.people[0]);
  w.Close(second);
  const std::int64_t third = w.NewRound(test::kLabCommunity);
  auto v = w.Status(w.people[0]);
  EXPECT_FALSE(Missed(v));  // sampled in the latest closed round
  EXPECT_EQ(v.latest_round_id, third);
  EXPECT_TRUE(Missed(w.Status(w.people[1])));
}

TEST(PersonStatus, AClosedRoundOverAnotherCommunityIsNotMissed) {
  StatusWorld w;
  const std::int64_t other = w.NewRound(StatusWorld::kOther);
  w.Close(other);
  EXPECT_FALSE(Missed(w.Status(w.people[0])));
  EXPECT_TRUE(Missed(w.Status(w.neighbour)));
}

TEST(PersonStatus, ByCodeAndByResidentIdAnswersTheSame) {
  StatusWorld w;
  w.Sample(w.round_id, "S-000001", w.people[0]);
  w.Result("S-000001", "negative");
  const std::int64_t id = w.ResidentIdOf(w.people[0]);
  const std::string code = SignPersonalCode(w.env, {id, 1});
  auto by_number = w.Status(w.people[0]);
  auto by_id = w.Status(std::to_string(id));
  auto by_code = GetStatusByCode(w.conn(), w.env, code);
  ASSERT_TRUE(by_code.ok()) << by_code.error().detail;
  for (const auto* v : {&by_id, &*by_code}) {
    EXPECT_EQ(v->person.id, by_number.person.id);
    EXPECT_EQ(v->status.state, by_number.status.state);
    EXPECT_EQ(v->latest_round_id, by_number.latest_round_id);
    ASSERT_TRUE(v->latest.has_value());
    EXPECT_EQ(v->latest->tube, by_number.latest->tube);
    EXPECT_EQ(v->latest->result, by_number.latest->result);
  }
}

TEST(PersonStatus, RefusesUnknownPeopleBadNumbersAndActorsOutOfScope) {
  StatusWorld w;
  auto unknown = GetPersonStatus(w.conn(), w.env, Actor::System(), test::IdNumber(901));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownPerson);
  auto bad = GetPersonStatus(w.conn(), w.env, Actor::System(), "110105199003071238");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidIdNumber);
  auto outside = GetPersonStatus(
      w.conn(), w.env, w.ActorAt(core::Role::kRecorder, StatusWorld::kOther), w.people[0]);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kForbidden);
  auto courier = GetPersonStatus(w.conn(), w.env, w.courier, w.people[0]);
  ASSERT_FALSE(courier.ok());
  EXPECT_EQ(courier.error().code, ErrorCode::kForbidden);
  auto bad_code = GetStatusByCode(w.conn(), w.env, "not-a-code");
  ASSERT_FALSE(bad_code.ok());
  EXPECT_EQ(bad_code.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(HistoryByCode, ListsOnlyTheirValidSamplesNewestFirstAPageAtATime) {
  StatusWorld w;
  w.Sample(w.round_id, "S-000001", w.people[0]);
  w.Result("S-000001", "negative");
  const std::int64_t second = w.NewRound(test::kLabCommunity);
  const std::int64_t voided = w.Sample(second, "S-000002", w.people[0]);
  ASSERT_TRUE(w.InTx([&](store::Tx& tx) {
                 return VoidSample(tx, w.env, w.recorder, voided, "wrong person");
               }).ok());
  w.Sample(second, "S-000003", w.people[0], 1);
  const std::string code = SignPersonalCode(w.env, {w.ResidentIdOf(w.people[0]), 1});

  auto first = GetHistoryByCode(w.conn(), w.env, code, 0, 1);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first->samples.size(), 1u);
  EXPECT_EQ(first->samples[0].tube, "S-000003");
  EXPECT_EQ(first->samples[0].round_id, second);
  EXPECT_EQ(first->samples[0].round_name, "下一轮");
  EXPECT_FALSE(first->samples[0].result.has_value());
  EXPECT_FALSE(first->samples[0].pooled);
  ASSERT_TRUE(first->next_cursor.has_value());
  auto rest = GetHistoryByCode(w.conn(), w.env, code, *first->next_cursor, 10);
  ASSERT_TRUE(rest.ok()) << rest.error().detail;
  ASSERT_EQ(rest->samples.size(), 1u);
  EXPECT_EQ(rest->samples[0].tube, "S-000001");
  EXPECT_EQ(rest->samples[0].result, core::TubeResult::kNegative);
  EXPECT_TRUE(rest->samples[0].pooled);
  EXPECT_FALSE(rest->next_cursor.has_value());

  auto bad = GetHistoryByCode(w.conn(), w.env, "SW1.nothing", 0, 10);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(PersonStatus, NamesTheIdsAlongTheHomeDistrictFirst) {
  StatusWorld w;
  auto v = w.Status(w.people[0]);
  const core::Place community = w.PlaceAt(test::kLabCommunity);
  ASSERT_GE(v.home_place_ids.size(), 4u);
  EXPECT_EQ(v.home_place_ids[2], community.id);
}

}  // namespace
}  // namespace swabline::service
