#include "cli/demo_round.hpp"

#include <cstdio>
#include <stdexcept>

#include "cli/demo_support.hpp"
#include "service/demo_city.hpp"
#include "service/lab.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "service/transport.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::cli {
namespace {

using demo::As;
using demo::kHour;
using demo::kMinute;
using demo::kSecond;
using demo::Must;
using DemoClock = demo::Clock;

struct Community {
  core::Place place;
  std::vector<std::int64_t> residents;
};

/// How far each community got, in the order of the demo's communities: how much of it was
/// sampled, and how far its tubes went.
enum class Stage { kResulted, kInTransit, kAtSite };
struct Plan {
  double sampled_share;
  Stage stage;
  core::Micros started_ago;
};
constexpr Plan kPlans[] = {
    {0.96, Stage::kResulted, 9 * kHour},  {0.91, Stage::kResulted, 9 * kHour},
    {0.84, Stage::kResulted, 8 * kHour},  {0.72, Stage::kInTransit, 6 * kHour},
    {0.63, Stage::kInTransit, 5 * kHour}, {0.41, Stage::kAtSite, 14 * kHour}};

struct City {
  core::Place district;  // the first root place
  std::vector<Community> communities;
};

/// The district and its communities, with their residents.
City ReadCity(service::Runtime& rt) {
  return rt.readers().RunSync([](store::Connection& db) {
    auto roots = store::RootPlaces(db);
    if (roots.empty()) throw std::runtime_error("demo round: the city is empty");
    std::vector<Community> out;
    for (const auto& street : store::ChildPlaces(db, roots.front().id))
      for (const auto& c : store::ChildPlaces(db, street.id)) {
        Community community{c, {}};
        for (const auto& r : store::ListResidentsUnder(db, c.id_path, "", 0, 1'000'000))
          community.residents.push_back(r.id);
        out.push_back(std::move(community));
      }
    return City{roots.front(), std::move(out)};
  });
}

/// The community's site, with the hours and lanes of one of three kinds of site: a morning,
/// an afternoon and evening hours for people who work, with a green channel; always open, with
/// a green channel; a morning and a late evening, one lane.
service::NewSite DemoSite(std::size_t c, const core::Place& community) {
  service::NewSite in{community.name + "核酸采样点", community.id, {}, {}};
  switch (c % 3) {
    case 0:
      in.hours = {{"07:00", "12:00"}, {"14:00", "17:30"}, {"18:30", "21:30"}};
      in.lanes = {"general", "green"};
      break;
    case 1: in.lanes = {"general", "green"}; break;
    default: in.hours = {{"08:00", "11:30"}, {"18:00", "22:00"}};
  }
  return in;
}

/// The day played through in one writer transaction, each step as the person who does it,
/// at the time the demo clock is set to.
class DemoDay {
 public:
  DemoDay(store::Tx& tx, const service::Env& env, DemoClock& clock)
      : tx_(tx), env_(env), clock_(clock) {}

  /// Samples the community's planned share, ten to a tube, a few seconds a person, from `t`;
  /// returns its tubes and moves `t` to the last scan.
  std::vector<std::string> Sample(std::size_t c, const Community& community, const Plan& plan,
                                  std::int64_t round_id, core::Micros& t);
  /// Boxes of 20 tubes, dispatched half an hour after sampling ends at `t`.
  std::vector<std::string> Ship(const std::vector<std::string>& tubes, core::Micros t);
  /// The lab receives the boxes 95 minutes after `t`; the tubes' results are noted for one
  /// upload at the end (the `outbreak` community's third tube positive — the community the
  /// demo's `community` user looks after — and community 1's eighth invalid).
  void Receive(std::size_t c, bool outbreak, const std::vector<std::string>& boxes,
               const std::vector<std::string>& tubes, core::Micros t);
  /// Uploads every noted result at `at`.
  void UploadResults(core::Micros at);

  DemoRoundSummary summary;

 private:
  store::Tx& tx_;
  const service::Env& env_;
  DemoClock& clock_;
  const service::Actor admin_ = As("admin", core::Role::kAdmin);
  const service::Actor recorder_ = As("recorder", core::Role::kRecorder);
  const service::Actor courier_ = As("courier", core::Role::kCourier);
  const service::Actor lab_ = As("lab", core::Role::kLab);
  const std::string outbreak_path_ = service::FirstCommunityPath();
  int box_number_ = 0;
  std::string results_csv_ = "tube,result\n";
};

std::vector<std::string> DemoDay::Sample(std::size_t c, const Community& community,
                                         const Plan& plan, std::int64_t round_id, core::Micros& t) {
  clock_.Set(t);
  const std::int64_t site =
      Must(service::CreateSite(tx_, env_, admin_, DemoSite(c, community.place)), "site").id;
  if (community.place.path == outbreak_path_) {
    summary.outbreak_community_id = community.place.id;
    summary.outbreak_site_id = site;
  }
  char barcode[48];
  std::vector<std::string> tubes;
  const auto wanted = static_cast<std::size_t>(plan.sampled_share *
                                               static_cast<double>(community.residents.size()));
  for (std::size_t i = 0; i < wanted; ++i) {
    if (i % 10 == 0) {
      std::snprintf(barcode, sizeof barcode, "CY%02zu-%05zu", c + 1, i / 10 + 1);
      tubes.emplace_back(barcode);
      Must(service::OpenTube(tx_, env_, recorder_, {barcode, round_id, site, {}, {}, {}}), "tube");
    }
    t += 4 * kSecond;
    clock_.Set(t);
    Must(service::AddSample(tx_, env_, recorder_, tubes.back(),
                            {std::to_string(community.residents[i]), {}, false, {}}),
         "sample");
    ++summary.samples;
  }
  summary.tubes += static_cast<int>(tubes.size());
  // The last tube of a community still sampling stays open; elsewhere it is sealed early.
  if (!tubes.empty() && wanted % 10 != 0 && plan.stage != Stage::kAtSite)
    Must(service::SealTube(tx_, env_, recorder_, tubes.back()), "seal");
  return tubes;
}

std::vector<std::string> DemoDay::Ship(const std::vector<std::string>& tubes, core::Micros t) {
  char barcode[48];
  std::vector<std::string> boxes;
  clock_.Set(t + 20 * kMinute);
  for (std::size_t i = 0; i < tubes.size(); ++i) {
    if (i % 20 == 0) {
      std::snprintf(barcode, sizeof barcode, "BOX-%04d", ++box_number_);
      boxes.emplace_back(barcode);
      Must(service::CreateBox(tx_, env_, courier_, barcode), "box");
    }
    Must(service::AddTubeToBox(tx_, env_, courier_, boxes.back(), tubes[i]), "boxing");
  }
  clock_.Set(t + 35 * kMinute);
  for (const auto& b : boxes) Must(service::DispatchBox(tx_, env_, courier_, b), "dispatch");
  return boxes;
}

void DemoDay::Receive(std::size_t c, bool outbreak, const std::vector<std::string>& boxes,
                      const std::vector<std::string>& tubes, core::Micros t) {
  clock_.Set(t + 95 * kMinute);
  for (const auto& b : boxes) {
    auto box = Must(service::GetBox(tx_.db(), lab_, b), "box");
    Must(service::ReceiveBox(tx_, env_, lab_, b, box.tubes), "receipt");
  }
  for (std::size_t i = 0; i < tubes.size(); ++i) {
    const char* result = "negative";
    if (outbreak && i == 2) {
      result = "positive";
      summary.positive_tube = tubes[i];
    } else if (c == 1 && i == 7) {
      result = "invalid";
    }
    results_csv_ += tubes[i] + "," + result + "\n";
  }
}

void DemoDay::UploadResults(core::Micros at) {
  clock_.Set(at);
  auto rows = Must(service::ResultRowsFromCsv(results_csv_), "results csv");
  auto report = Must(service::UploadResults(tx_, env_, lab_, rows), "results");
  if (!report.rejected.empty())
    throw std::runtime_error("demo round: a result was refused: " + report.rejected.front().detail);
}

}  // namespace

DemoRoundSummary SeedDemoRound(service::Runtime& rt) {
  const core::Micros now = service::SystemClock().Now();
  DemoClock clock(now - 15 * kHour);
  const service::Env env = rt.env_with(clock);
  const City city = ReadCity(rt);
  return rt.writer().RunSync([&](store::Tx& tx) {
    DemoDay day(tx, env, clock);
    clock.Set(now - 15 * kHour);
    service::NewRound round_in{
        "第1轮全员核酸", {city.district.id}, 10, now - 15 * kHour, now + 9 * kHour};
    day.summary.round_id =
        Must(service::CreateRound(tx, env, As("command", core::Role::kCommand), round_in), "round")
            .id;
    for (std::size_t c = 0; c < city.communities.size(); ++c) {
      const Plan& plan = kPlans[c % std::size(kPlans)];
      core::Micros t = now - plan.started_ago;
      const auto tubes = day.Sample(c, city.communities[c], plan, day.summary.round_id, t);
      if (plan.stage == Stage::kAtSite) continue;
      const auto boxes = day.Ship(tubes, t);
      if (plan.stage == Stage::kInTransit) continue;
      day.Receive(c, city.communities[c].place.id == day.summary.outbreak_community_id, boxes,
                  tubes, t);
    }
    day.UploadResults(now - 2 * kHour);
    return day.summary;
  });
}

}  // namespace swabline::cli
