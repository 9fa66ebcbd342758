#include "cli/demo_round.hpp"

#include <cstdio>
#include <stdexcept>

#include "service/lab.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "service/transport.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::cli {
namespace {

constexpr core::Micros kMinute = 60LL * 1'000'000;
constexpr core::Micros kHour = 60 * kMinute;

/// A clock the seeding moves by hand, so the demo's turnaround figures look like a real day.
class DemoClock : public core::Clock {
 public:
  explicit DemoClock(core::Micros t) : t_(t) {}
  core::Micros Now() const override { return t_; }
  void Set(core::Micros t) { t_ = t; }

 private:
  core::Micros t_;
};

template <typename T>
T Must(core::Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string("demo round: ") + what + ": " + r.error().detail);
  return std::move(r).value();
}

service::Actor As(const char* username, core::Role role) {
  service::Actor a = service::Actor::System();
  a.username = username;
  a.role = role;
  return a;
}

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

}  // namespace

DemoRoundSummary SeedDemoRound(Runtime& rt) {
  const core::Micros now = service::SystemClock().Now();
  DemoClock clock(now - 15 * kHour);
  const service::Env env = rt.env_with(clock);
  const service::Actor command = As("command", core::Role::kCommand);
  const service::Actor admin = As("admin", core::Role::kAdmin);
  const service::Actor recorder = As("recorder", core::Role::kRecorder);
  const service::Actor courier = As("courier", core::Role::kCourier);
  const service::Actor lab = As("lab", core::Role::kLab);

  // The district and its communities, with their residents.
  auto [district, communities] = rt.readers().RunSync([](store::Connection& db) {
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
    return std::make_pair(roots.front(), std::move(out));
  });

  DemoRoundSummary summary;
  return rt.writer().RunSync([&](store::Tx& tx) {
    clock.Set(now - 15 * kHour);
    service::NewRound round_in{
        "第1轮全员核酸", {district.id}, 10, now - 15 * kHour, now + 9 * kHour};
    summary.round_id = Must(service::CreateRound(tx, env, command, round_in), "round").id;
    char barcode[48];
    std::string results_csv = "tube,result\n";
    int box_number = 0;
    for (std::size_t c = 0; c < communities.size(); ++c) {
      const Community& community = communities[c];
      const Plan& plan = kPlans[c % std::size(kPlans)];
      core::Micros t = now - plan.started_ago;
      clock.Set(t);
      const std::int64_t site =
          Must(service::CreateSite(tx, env, admin, community.place.name + "核酸采样点",
                                   community.place.id),
               "site")
              .id;
      // Scan the share of residents, ten to a tube, a few seconds a person.
      std::vector<std::string> tubes;
      const auto wanted = static_cast<std::size_t>(plan.sampled_share *
                                                   static_cast<double>(community.residents.size()));
      for (std::size_t i = 0; i < wanted; ++i) {
        if (i % 10 == 0) {
          std::snprintf(barcode, sizeof barcode, "CY%02zu-%05zu", c + 1, i / 10 + 1);
          tubes.emplace_back(barcode);
          Must(service::OpenTube(tx, env, recorder, {barcode, summary.round_id, site, {}, {}, {}}),
               "tube");
        }
        t += 4 * 1'000'000;
        clock.Set(t);
        Must(service::AddSample(tx, env, recorder, tubes.back(),
                                {std::to_string(community.residents[i]), {}, false, {}}),
             "sample");
        ++summary.samples;
      }
      summary.tubes += static_cast<int>(tubes.size());
      // The last tube of a community still sampling stays open; elsewhere it is sealed early.
      if (!tubes.empty() && wanted % 10 != 0 && plan.stage != Stage::kAtSite)
        Must(service::SealTube(tx, env, recorder, tubes.back()), "seal");
      if (plan.stage == Stage::kAtSite) continue;

      // Boxes of 20 tubes, dispatched half an hour after sampling ends.
      std::vector<std::string> boxes;
      clock.Set(t + 20 * kMinute);
      for (std::size_t i = 0; i < tubes.size(); ++i) {
        if (i % 20 == 0) {
          std::snprintf(barcode, sizeof barcode, "BOX-%04d", ++box_number);
          boxes.emplace_back(barcode);
          Must(service::CreateBox(tx, env, courier, barcode), "box");
        }
        Must(service::AddTubeToBox(tx, env, courier, boxes.back(), tubes[i]), "boxing");
      }
      clock.Set(t + 35 * kMinute);
      for (const auto& b : boxes) Must(service::DispatchBox(tx, env, courier, b), "dispatch");
      if (plan.stage == Stage::kInTransit) continue;

      clock.Set(t + 95 * kMinute);
      for (const auto& b : boxes) {
        auto box = Must(service::GetBox(tx.db(), lab, b), "box");
        Must(service::ReceiveBox(tx, env, lab, b, box.tubes), "receipt");
      }
      for (std::size_t i = 0; i < tubes.size(); ++i) {
        const char* result = "negative";
        if (c == 0 && i == 2) {
          result = "positive";
          summary.positive_tube = tubes[i];
        } else if (c == 1 && i == 7) {
          result = "invalid";
        }
        results_csv += tubes[i] + "," + result + "\n";
      }
    }
    clock.Set(now - 2 * kHour);
    auto rows = Must(service::ResultRowsFromCsv(results_csv), "results csv");
    auto report = Must(service::UploadResults(tx, env, lab, rows), "results");
    if (!report.rejected.empty())
      throw std::runtime_error("demo round: a result was refused: " +
                               report.rejected.front().detail);
    return summary;
  });
}

}  // namespace swabline::cli
