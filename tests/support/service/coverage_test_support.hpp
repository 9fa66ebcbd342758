#pragma once
/// For the coverage tests only: a small district whose residents are scanned, walk in, give
/// repeat and retest samples, have samples voided, get results and corrections, and move —
/// one random use case at a time, each in its own transaction, as the server would run them.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "service/lab.hpp"
#include "service/people.hpp"
#include "service/reports.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "store/tubes.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service::test {

/// Homes as the import's place columns (district,street,community,building,unit,room): at a
/// community, a building, a unit and a room, in three communities of two streets.
inline std::vector<std::string> TownAddresses() {
  std::vector<std::string> out;
  const std::array<std::string_view, 3> communities = {
      "朝阳区,和平街街道,小黄庄社区", "朝阳区,和平街街道,樱花园社区", "朝阳区,安贞街道,安华里社区"};
  for (std::string_view c : communities) {
    out.push_back(std::string(c) + ",,,");
    for (std::string_view b : {"1号楼", "2号楼", "3号楼"}) {
      out.push_back(std::string(c) + "," + std::string(b) + ",,");
      for (std::string_view u : {"1单元", "2单元"}) {
        out.push_back(std::string(c) + "," + std::string(b) + "," + std::string(u) + ",");
        for (std::string_view r : {"101", "102"})
          out.push_back(std::string(c) + "," + std::string(b) + "," + std::string(u) + "," +
                        std::string(r));
      }
    }
  }
  return out;
}

class Town {
 public:
  /// Operations the random walk chooses from, with how often each succeeded.
  enum Op {
    kScan,
    kWalkIn,
    kRepeat,
    kRetest,
    kVoid,
    kVoidResulted,
    kLateEntry,
    kSeal,
    kResult,
    kCorrect,
    kMove,
    kOpCount
  };
  static constexpr std::array<std::string_view, kOpCount> kOpNames = {
      "scan",
      "walk-in",
      "repeat",
      "retest",
      "void",
      "void in a resulted tube (store)",
      "late entry into a resulted tube (store)",
      "seal",
      "result",
      "correction",
      "move"};

  Town(World& w, unsigned seed) : w_(w), random_(seed) {}

  /// Imports `people` residents spread over the homes; two rounds of pool size 5, one over
  /// the whole district, one over a community, a building elsewhere and a unit in a third
  /// community; sampling sites at each community, at a building and at a street.
  void Build(int people) {
    std::string csv(kCsvHeader);
    for (int i = 1; i <= people; ++i) {
      ids_.push_back(IdNumber(i));
      csv += ids_.back() + ",居民,13800000000," + AddressAt(i) + ",\n";
    }
    w_.ImportOk(csv);
    const auto id = [&](std::string_view path) { return w_.PlaceAt(path).id; };
    rounds_.push_back(OpenRound({id("朝阳区")}));
    rounds_.push_back(
        OpenRound({id("朝阳区/和平街街道/小黄庄社区"), id("朝阳区/安贞街道/安华里社区/2号楼"),
                   id("朝阳区/和平街街道/樱花园社区/1号楼/2单元")}));
    for (std::string_view path :
         {"朝阳区/和平街街道/小黄庄社区", "朝阳区/和平街街道/樱花园社区",
          "朝阳区/安贞街道/安华里社区", "朝阳区/安贞街道/安华里社区/3号楼", "朝阳区/安贞街道"}) {
      auto site = w_.InTx([&](store::Tx& tx) {
        return CreateSite(tx, w_.env, Actor::System(), "采样点", id(path));
      });
      EXPECT_TRUE(site.ok());
      if (site.ok()) sites_.push_back(site->id);
    }
  }

  const std::vector<std::int64_t>& rounds() const { return rounds_; }
  const std::array<int, kOpCount>& done() const { return done_; }

  /// Runs one random operation; returns its name for the test's trace.
  std::string_view Step() {
    static constexpr std::array<int, kOpCount> kWeights = {40, 5, 6, 5, 8, 2, 2, 5, 14, 5, 10};
    std::discrete_distribution<int> pick(kWeights.begin(), kWeights.end());
    const auto op = static_cast<Op>(pick(random_));
    w_.clock.Advance(1'000'000);
    if (Run(op)) ++done_[op];
    return kOpNames[op];
  }

 private:
  bool Run(Op op) {
    switch (op) {
      case kScan: return Sample(AnyPerson(), {}, false);
      case kWalkIn: {
        ids_.push_back(IdNumber(500 + static_cast<int>(ids_.size())));
        return Sample(ids_.back(), "路人", false);
      }
      case kRepeat: return Sample(AnyPerson(), {}, true);
      case kRetest: return Retest(AnyPerson());
      case kVoid: return Void();
      case kVoidResulted: return VoidInResultedTube();
      case kLateEntry: return LateEntry(AnyPerson());
      case kSeal: return Seal();
      case kResult: return Upload(false);
      case kCorrect: return Upload(true);
      case kMove: return Move(AnyPerson());
      case kOpCount: break;
    }
    return false;
  }

  std::string AddressAt(std::size_t i) const { return addresses_[i % addresses_.size()]; }

  std::int64_t OpenRound(std::vector<std::int64_t> places) {
    auto round = w_.InTx([&](store::Tx& tx) {
      return CreateRound(tx, w_.env, Actor::System(),
                         NewRound{"轮次", std::move(places), 5, {}, {}});
    });
    EXPECT_TRUE(round.ok());
    return round.ok() ? round->id : 0;
  }

  template <typename T>
  const T& Any(const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random_)];
  }
  const std::string& AnyPerson() { return Any(ids_); }

  /// The rows of a one-column query, as text.
  std::vector<std::string> Column(std::string_view sql) {
    auto q = w_.conn().Query(sql);
    std::vector<std::string> out;
    while (q->Next() == store::Step::kRow) out.push_back(q->Str(0));
    return out;
  }

  std::string NewBarcode() { return "T-" + std::to_string(100000 + ++tubes_); }

  /// A screening tube of the round at the site that still takes a sample; opens one if none.
  std::string OpenScreeningTube(store::Tx& tx, std::int64_t round, std::int64_t site) {
    auto q = tx.db().Query(
        "SELECT barcode FROM tubes WHERE round_id = ? AND site_id = ? AND purpose = 'screening' "
        "AND status = 'open' AND count < capacity LIMIT 1");
    q->Bind(1, round).Bind(2, site);
    if (q->Next() == store::Step::kRow) return q->Str(0);
    std::string barcode = NewBarcode();
    auto tube = OpenTube(tx, w_.env, Actor::System(), {barcode, round, site, {}, {}, {}});
    EXPECT_TRUE(tube.ok()) << (tube.ok() ? "" : tube.error().detail);
    return barcode;
  }

  bool Sample(const std::string& person, std::optional<std::string> walk_in_name, bool repeat) {
    return w_.InTx([&](store::Tx& tx) {
      const std::string tube = OpenScreeningTube(tx, Any(rounds_), Any(sites_));
      AddSampleInput in{person, std::move(walk_in_name), repeat,
                        repeat ? std::optional<std::string>("样本污染") : std::nullopt};
      return AddSample(tx, w_.env, Actor::System(), tube, in).ok();
    });
  }

  bool Retest(const std::string& person) {
    return w_.InTx([&](store::Tx& tx) {
      auto incident =
          ReportAntigenPositive(tx, w_.env, Actor::System(), person, "antigen_positive");
      if (!incident.ok()) return false;
      const std::string barcode = NewBarcode();
      auto tube = OpenTube(tx, w_.env, Actor::System(),
                           {barcode, Any(rounds_), Any(sites_), {}, "retest", incident->id});
      EXPECT_TRUE(tube.ok()) << (tube.ok() ? "" : tube.error().detail);
      return AddSample(tx, w_.env, Actor::System(), barcode, {person, {}, false, {}}).ok();
    });
  }

  bool Void() {
    const auto ids = Column(
        "SELECT s.id FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode WHERE s.voided_at "
        "IS NULL AND t.status IN ('open', 'sealed') ORDER BY s.id");
    if (ids.empty()) return false;
    const std::int64_t id = std::stoll(Any(ids));
    return w_.InTx(
        [&](store::Tx& tx) { return VoidSample(tx, w_.env, Actor::System(), id, "扫错了").ok(); });
  }

  /// The service refuses this (a resulted tube is past voiding); the kept counts must follow
  /// whatever the database is told all the same.
  bool VoidInResultedTube() {
    const auto ids = Column(
        "SELECT s.id FROM samples s JOIN tubes t ON t.barcode = s.tube_barcode WHERE s.voided_at "
        "IS NULL AND t.result IS NOT NULL ORDER BY s.id");
    if (ids.empty()) return false;
    const std::int64_t id = std::stoll(Any(ids));
    w_.InTx([&](store::Tx& tx) { store::VoidSampleRow(tx, id, "数据修复", w_.clock.Now()); });
    return true;
  }

  /// A sample written straight into a tube that already has a result (the service refuses
  /// it: the tube is no longer open), which the kept counts must follow all the same.
  bool LateEntry(const std::string& person) {
    const auto tubes =
        Column("SELECT barcode FROM tubes WHERE result IS NOT NULL ORDER BY barcode");
    const auto resident = LookUpPerson(w_.conn(), w_.env, person);
    if (tubes.empty() || !resident.ok() || !resident->resident) return false;
    auto tube = store::FindTube(w_.conn(), Any(tubes));
    store::SampleRow s;
    s.tube_barcode = tube->barcode;
    s.round_id = tube->round_id;
    s.resident_id = resident->resident->id;
    s.screening = tube->purpose == core::TubePurpose::kScreening;
    if (s.screening) s.repeat_reason = "补录";
    s.sampled_at = w_.clock.Now();
    s.sampled_by = "system";
    return w_.InTx([&](store::Tx& tx) { return store::InsertSample(tx, s).has_value(); });
  }

  bool Seal() {
    const auto tubes =
        Column("SELECT barcode FROM tubes WHERE status = 'open' AND count > 0 ORDER BY barcode");
    if (tubes.empty()) return false;
    const std::string& tube = Any(tubes);
    return w_.InTx([&](store::Tx& tx) { return SealTube(tx, w_.env, Actor::System(), tube).ok(); });
  }

  /// A first result for a sealed tube, or (`correct`) a different one for a resulted tube.
  bool Upload(bool correct) {
    const auto tubes =
        Column(correct ? "SELECT barcode FROM tubes WHERE result IS NOT NULL ORDER BY barcode"
                       : "SELECT barcode FROM tubes WHERE status = 'sealed' ORDER BY barcode");
    if (tubes.empty()) return false;
    UploadedResult row;
    row.tube = Any(tubes);
    // Far more positives than in life, so that people with two positive samples occur.
    static constexpr std::array<std::string_view, 5> kResults = {"negative", "negative", "positive",
                                                                 "positive", "invalid"};
    row.result = std::string(Any(std::vector<std::string_view>(kResults.begin(), kResults.end())));
    if (correct) {
      auto tube = store::FindTube(w_.conn(), row.tube);
      // Corrections mostly take a positive back, as a lab finds a contaminated run.
      row.result = tube->result == core::TubeResult::kPositive ? "negative" : "positive";
      row.correction_reason = "复核";
    }
    auto report =
        w_.InTx([&](store::Tx& tx) { return UploadResults(tx, w_.env, Actor::System(), {row}); });
    return report.ok() && report->rejected.empty();
  }

  bool Move(const std::string& person) {
    const std::string csv =
        std::string(kCsvHeader) + person + ",居民,13800000000," +
        AddressAt(std::uniform_int_distribution<std::size_t>(0, 1000)(random_)) + ",\n";
    auto report = w_.Import(Actor::System(), csv);
    return report.ok() && report->updated == 1;
  }

  World& w_;
  std::mt19937 random_;
  std::vector<std::string> addresses_ = TownAddresses();
  std::vector<std::string> ids_;
  std::vector<std::int64_t> rounds_;
  std::vector<std::int64_t> sites_;
  int tubes_ = 0;
  std::array<int, kOpCount> done_{};
};

}  // namespace swabline::service::test
