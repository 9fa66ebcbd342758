#include "service/sampling.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/civil_time.hpp"
#include "core/id_number.hpp"
#include "service/reports.hpp"
#include "service/rounds.hpp"
#include "support/service/transport_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::LabWorld;

/// The first 17 characters with their correct check character.
std::string WithCheck(std::string first17) {
  first17.push_back(core::IdNumberCheckCharacter(first17));
  return first17;
}

/// Tubes in every state the scan's checks tell apart, in LabWorld's round and site:
///   FULL-0001    capacity 2, holds A and B: sealed itself when full
///   SEAL-0001    holds C, sealed early (room left)
///   OPEN-0001    holds F and D, open
///   RETEST-001   a retest tube of D's incident, empty and open
///   RETEST-002   a retest tube of D's incident, capacity 1, holds D: full
///   EMPTY-0001   open and empty
/// E is registered and never sampled; `stranger` is a valid ID number nobody registered.
struct SamplingWorld : LabWorld {
  std::string a = people[0], b = people[1], c = people[2], d = people[3], e = people[4],
              f = people[5];
  std::string stranger = test::IdNumber(900);
  core::Micros a_sampled_at = 0;
  std::int64_t incident_id = 0;

  SamplingWorld() {
    Open("FULL-0001", 2);
    a_sampled_at = env.clock.Now();
    ScanOk("FULL-0001", a);
    clock.Advance(test::kHour);
    ScanOk("FULL-0001", b);
    Open("SEAL-0001");
    ScanOk("SEAL-0001", c);
    InTx([&](store::Tx& tx) { EXPECT_TRUE(SealTube(tx, env, recorder, "SEAL-0001").ok()); });
    Open("OPEN-0001");
    ScanOk("OPEN-0001", f);
    ScanOk("OPEN-0001", d);
    auto incident = InTx([&](store::Tx& tx) {
      return ReportAntigenPositive(tx, env, Actor::System(), d, "antigen_positive");
    });
    EXPECT_TRUE(incident.ok()) << (incident.ok() ? "" : incident.error().detail);
    incident_id = incident.ok() ? incident->id : 0;
    Open("RETEST-001", 2, incident_id);
    Open("RETEST-002", 1, incident_id);
    ScanOk("RETEST-002", d);
    Open("EMPTY-0001");
  }

  void Open(const std::string& barcode, std::optional<int> capacity = {},
            std::optional<std::int64_t> incident = {}) {
    OpenTubeInput in{barcode, round_id, site_id, capacity, {}, incident};
    if (incident) in.purpose = "retest";
    auto tube = InTx([&](store::Tx& tx) { return OpenTube(tx, env, recorder, in); });
    EXPECT_TRUE(tube.ok()) << barcode << ": " << (tube.ok() ? "" : tube.error().detail);
  }

  core::Result<AddedSample> Scan(const std::string& barcode, const std::string& person,
                                 std::optional<std::string> name = {}) {
    return InTx([&](store::Tx& tx) {
      return AddSample(tx, env, recorder, barcode, {person, std::move(name), false, {}});
    });
  }

  void ScanOk(const std::string& barcode, const std::string& person) {
    auto added = Scan(barcode, person);
    EXPECT_TRUE(added.ok()) << barcode << " " << person << ": "
                            << (added.ok() ? "" : added.error().detail);
  }
};

/// A situation that fails several of the scan's checks at once, and the one that must win
/// (docs/api.md, "The scan, in the order it is checked"):
/// unknown_tube; invalid_id_number or invalid_personal_code; unknown_person; tube_full;
/// tube_sealed; duplicate_in_tube; already_sampled (skipped by a retest tube); not_in_incident.
struct ScanCase {
  const char* situation;
  std::string barcode;
  std::string person;
  std::optional<std::string> name;
  ErrorCode expected;
};

TEST(AddSample, ReportsTheFirstFailingCheckInTheContractsOrder) {
  SamplingWorld w;
  const std::string bad_check = w.stranger.substr(0, 17) + (w.stranger[17] == '0' ? "1" : "0");
  const std::string bad_region = WithCheck("99010519900307123");
  const std::string bad_date = WithCheck("11010519901307123");
  const std::vector<ScanCase> cases = {
      {"unknown tube, invalid ID number", "NOPE-0001", bad_check, {}, ErrorCode::kUnknownTube},
      {"unknown tube, unknown person", "NOPE-0001", w.stranger, {}, ErrorCode::kUnknownTube},
      {"unknown tube, duplicate", "NOPE-0001", w.a, {}, ErrorCode::kUnknownTube},
      {"bad region, full tube", "FULL-0001", bad_region, {}, ErrorCode::kInvalidIdNumber},
      {"bad birth date, full tube", "FULL-0001", bad_date, {}, ErrorCode::kInvalidIdNumber},
      {"bad check character, sealed tube", "SEAL-0001", bad_check, "walk-in",
       ErrorCode::kInvalidIdNumber},
      {"forged personal code, full tube",
       "FULL-0001",
       "SW1.not-a-real-code",
       {},
       ErrorCode::kInvalidPersonalCode},
      {"not a person at all, full tube",
       "FULL-0001",
       "no such thing!",
       {},
       ErrorCode::kInvalidPersonalCode},
      {"unregistered without a name, full tube",
       "FULL-0001",
       w.stranger,
       {},
       ErrorCode::kUnknownPerson},
      {"unregistered without a name, retest tube",
       "RETEST-001",
       w.stranger,
       {},
       ErrorCode::kUnknownPerson},
      {"full tube, duplicate in it", "FULL-0001", w.a, {}, ErrorCode::kTubeFull},
      {"full tube, sampled elsewhere", "FULL-0001", w.c, {}, ErrorCode::kTubeFull},
      {"full tube, a walk-in", "FULL-0001", w.stranger, "路人", ErrorCode::kTubeFull},
      {"full retest tube, not in the incident", "RETEST-002", w.a, {}, ErrorCode::kTubeFull},
      {"full retest tube, duplicate in it", "RETEST-002", w.d, {}, ErrorCode::kTubeFull},
      {"sealed early, duplicate in it", "SEAL-0001", w.c, {}, ErrorCode::kTubeSealed},
      {"sealed early, sampled elsewhere", "SEAL-0001", w.a, {}, ErrorCode::kTubeSealed},
      {"sealed early, a walk-in", "SEAL-0001", w.stranger, "路人", ErrorCode::kTubeSealed},
      {"duplicate in the tube, also sampled this round",
       "OPEN-0001",
       w.f,
       {},
       ErrorCode::kDuplicateInTube},
      {"sampled in another tube of the round", "OPEN-0001", w.a, {}, ErrorCode::kAlreadySampled},
      {"retest tube, sampled this round and not in the incident",
       "RETEST-001",
       w.a,
       {},
       ErrorCode::kNotInIncident},
      {"retest tube, never sampled and not in the incident",
       "RETEST-001",
       w.e,
       {},
       ErrorCode::kNotInIncident},
  };
  for (const auto& c : cases) {
    const auto got = w.Scan(c.barcode, c.person, c.name);
    ASSERT_FALSE(got.ok()) << c.situation << ": the scan was taken";
    EXPECT_EQ(core::ErrorCodeName(got.error().code), core::ErrorCodeName(c.expected))
        << c.situation << ": " << got.error().detail;
  }
  // None of the refusals left anything behind.
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM samples"), 6);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents WHERE walk_in <> 0"), 0);
}

TEST(AddSample, AlreadySampledNamesTheEarlierTubeAndTime) {
  SamplingWorld w;
  const auto got = w.Scan("OPEN-0001", w.a);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kAlreadySampled);
  const std::vector<std::pair<std::string, std::string>> extras = {
      {"tube", "FULL-0001"}, {"sampled_at", core::FormatRfc3339(w.a_sampled_at)}};
  EXPECT_EQ(got.error().extras, extras);
}

TEST(AddSample, ARetestTubeSkipsTheAlreadySampledCheckForAMember) {
  SamplingWorld w;  // D was sampled in OPEN-0001 and in RETEST-002
  const auto got = w.Scan("RETEST-001", w.d);
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->tube.tube.count, 1);
}

TEST(AddSample, AWalkInIsRegisteredOnlyOnceEveryCheckPassed) {
  SamplingWorld w;
  const auto got = w.Scan("OPEN-0001", w.stranger, "路人");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents WHERE walk_in <> 0"), 1);
}

struct StatusCase {
  const char* situation;
  std::function<core::Status(store::Tx&)> call;
  std::optional<ErrorCode> expected;  // nullopt: it succeeds
};

void ExpectInOrder(SamplingWorld& w, const std::vector<StatusCase>& cases) {
  for (const auto& c : cases) {
    const core::Status got = w.InTx(c.call);
    if (!c.expected) {
      EXPECT_TRUE(got.ok()) << c.situation << ": " << got.error().detail;
      continue;
    }
    ASSERT_FALSE(got.ok()) << c.situation << ": it succeeded";
    EXPECT_EQ(core::ErrorCodeName(got.error().code), core::ErrorCodeName(*c.expected))
        << c.situation << ": " << got.error().detail;
  }
}

/// Drops a use case's value: the tables compare errors only.
template <typename T>
core::Status Checked(core::Result<T> r) {
  if (!r.ok()) return r.take_error();
  return core::Ok{};
}

TEST(OpenTube, ReportsTheFirstFailingCheckInTheContractsOrder) {
  SamplingWorld w;
  const core::Place community = w.PlaceAt(test::kLabCommunity);
  auto closed = w.InTx([&](store::Tx& tx) -> core::Result<Round> {
    auto round =
        CreateRound(tx, w.env, Actor::System(), NewRound{"旧轮", {community.id}, 10, {}, {}});
    if (!round.ok()) return round;
    return CloseRound(tx, w.env, Actor::System(), round->id);
  });
  ASSERT_TRUE(closed.ok()) << closed.error().detail;
  auto open = [&](std::string barcode, std::int64_t round, std::int64_t site) {
    return [&w, barcode, round, site](store::Tx& tx) {
      return Checked(OpenTube(tx, w.env, w.recorder, {barcode, round, site, {}, {}, {}}));
    };
  };
  const std::int64_t kNoRound = 9'999, kNoSite = 9'999;
  ExpectInOrder(
      w,
      {
          {"bad barcode, unknown round and site", open("bad barcode!", kNoRound, kNoSite),
           ErrorCode::kInvalidBarcode},
          {"barcode used, unknown round and site", open("FULL-0001", kNoRound, kNoSite),
           ErrorCode::kBarcodeInUse},
          {"unknown round and site", open("NEW-0001", kNoRound, kNoSite), ErrorCode::kUnknownRound},
          {"closed round, unknown site", open("NEW-0001", closed->id, kNoSite),
           ErrorCode::kRoundClosed},
          {"unknown site", open("NEW-0001", w.round_id, kNoSite), ErrorCode::kUnknownSite},
          {"all well", open("NEW-0001", w.round_id, w.site_id), std::nullopt},
          {"the same barcode again", open("NEW-0001", w.round_id, w.site_id),
           ErrorCode::kBarcodeInUse},
      });
}

TEST(SealTube, RefusesAnUnknownOrEmptyTubeAndSealsTwiceAsANoOp) {
  SamplingWorld w;
  auto seal = [&](std::string barcode) {
    return
        [&w, barcode](store::Tx& tx) { return Checked(SealTube(tx, w.env, w.recorder, barcode)); };
  };
  ExpectInOrder(w, {
                       {"unknown tube", seal("NOPE-0001"), ErrorCode::kUnknownTube},
                       {"empty open tube", seal("EMPTY-0001"), ErrorCode::kTubeEmpty},
                       {"sealed early", seal("SEAL-0001"), std::nullopt},
                       {"sealed itself when full", seal("FULL-0001"), std::nullopt},
                       {"open with samples", seal("OPEN-0001"), std::nullopt},
                   });
}

TEST(VoidSample, AsksForAReasonBeforeRefusingABoxedTube) {
  SamplingWorld w;
  auto sample_in = [&](const std::string& barcode) {
    return w.db.Count("SELECT MIN(id) FROM samples WHERE tube_barcode = '" + barcode + "'");
  };
  const std::int64_t boxed = sample_in("SEAL-0001");
  const std::int64_t open = sample_in("OPEN-0001");
  w.Box("BOX-0001", {"SEAL-0001"});
  auto void_ = [&](std::int64_t sample, std::string reason) {
    return [&w, sample, reason](store::Tx& tx) {
      return Checked(VoidSample(tx, w.env, w.recorder, sample, reason));
    };
  };
  ExpectInOrder(w, {
                       {"unknown sample, no reason", void_(99'999, ""), ErrorCode::kUnknownSample},
                       {"boxed tube, no reason", void_(boxed, ""), ErrorCode::kReasonRequired},
                       {"boxed tube", void_(boxed, "wrong person"), ErrorCode::kTubeBoxed},
                       {"open tube, no reason", void_(open, ""), ErrorCode::kReasonRequired},
                       {"open tube", void_(open, "wrong person"), std::nullopt},
                   });
}

}  // namespace
}  // namespace swabline::service
