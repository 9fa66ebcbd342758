#pragma once
/// For the transport and lab tests only: a world with residents in one community, a round
/// over it and a sampling site in it, and builders for sealed tubes, boxes and results.

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/role.hpp"
#include "service/lab.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "service/transport.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service::test {

inline constexpr std::string_view kLabCommunity = "朝阳区/和平街街道/小黄庄社区";

/// The example ID numbers of docs/openapi.yaml, then numbered ones: enough people for many tubes.
inline std::vector<std::string> LabPeople() {
  std::vector<std::string> people = {"11010519491231002X", "110105199003071239",
                                     "310115198506124414", "440304200101010030"};
  for (int i = 1; i <= 60; ++i) people.push_back(IdNumber(i));
  return people;
}

struct LabWorld : World {
  std::vector<std::string> people = LabPeople();
  std::size_t next_person = 0;
  std::int64_t round_id = 0;
  std::int64_t site_id = 0;
  Actor courier;
  Actor lab;
  Actor recorder;

  LabWorld() {
    std::string csv(kCsvHeader);
    for (const std::string& id : people)
      csv += id + ",居民,13800000000,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,\n";
    ImportOk(csv);
    const core::Place community = PlaceAt(kLabCommunity);
    auto round = InTx([&](store::Tx& tx) {
      return CreateRound(tx, env, Actor::System(), NewRound{"第1轮", {community.id}, 10, {}, {}});
    });
    EXPECT_TRUE(round.ok());
    round_id = round.ok() ? round->id : 0;
    auto site = InTx([&](store::Tx& tx) {
      return CreateSite(tx, env, Actor::System(), "小黄庄采样点", community.id);
    });
    EXPECT_TRUE(site.ok());
    site_id = site.ok() ? site->id : 0;
    courier = ActorAt(core::Role::kCourier, "", "courier1");
    lab = ActorAt(core::Role::kLab, "", "lab1");
    recorder = ActorAt(core::Role::kRecorder, "", "recorder1");
  }

  /// Opens a tube, samples `samples` people not sampled before into it and, when `seal`,
  /// seals it. Returns the barcode.
  std::string Tube(const std::string& barcode, int samples = 2, bool seal = true) {
    InTx([&](store::Tx& tx) {
      auto tube = OpenTube(tx, env, recorder, {barcode, round_id, site_id, {}, {}, {}});
      EXPECT_TRUE(tube.ok()) << (tube.ok() ? "" : tube.error().detail);
      for (int i = 0; i < samples; ++i) {
        auto added =
            AddSample(tx, env, recorder, barcode, {people.at(next_person++), {}, false, {}});
        EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().detail);
      }
      if (seal) {
        auto sealed = SealTube(tx, env, recorder, barcode);
        EXPECT_TRUE(sealed.ok()) << (sealed.ok() ? "" : sealed.error().detail);
      }
    });
    return barcode;
  }

  /// Uploads one result for the tube as the lab; fails the test unless it is accepted.
  void Result(const std::string& tube, const std::string& result) {
    UploadedResult row;
    row.tube = tube;
    row.result = result;
    auto report = InTx([&](store::Tx& tx) { return UploadResults(tx, env, lab, {row}); });
    ASSERT_TRUE(report.ok()) << report.error().detail;
    ASSERT_TRUE(report->rejected.empty()) << report->rejected[0].detail;
  }

  /// Opens a box and puts the tubes in it; fails the test if any step fails.
  std::string Box(const std::string& barcode, std::initializer_list<std::string> tubes) {
    InTx([&](store::Tx& tx) {
      auto box = CreateBox(tx, env, courier, barcode);
      EXPECT_TRUE(box.ok()) << (box.ok() ? "" : box.error().detail);
      for (const std::string& tube : tubes) {
        auto added = AddTubeToBox(tx, env, courier, barcode, tube);
        EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().detail);
      }
    });
    return barcode;
  }

  std::string TubeStatus(std::string_view barcode) {
    auto q = conn().Query("SELECT status FROM tubes WHERE barcode = ?");
    q->Bind(1, barcode);
    return q->Next() == store::Step::kRow ? q->Str(0) : "";
  }
};

}  // namespace swabline::service::test
