#include "bench/city.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "bench/loadgen.hpp"
#include "service/auth.hpp"
#include "service/registry.hpp"
#include "service/rounds.hpp"
#include "service/sampling.hpp"
#include "store/connection.hpp"
#include "store/places.hpp"

namespace swabline::bench {
namespace {

constexpr int kBuildingsPerCommunity = 58;  // ≈ 12,100 residents, a large urban community
constexpr std::size_t kTubesPerJob = 2000;  // tubes opened per writer job while setting up

/// The line's "district,street,community,building,unit" (the CSV's columns 4 to 8).
std::string_view UnitOf(std::string_view line) {
  std::size_t from = 0;
  for (int commas = 0; commas < 3 && from != std::string_view::npos; ++commas)
    from = line.find(',', from + 1);
  std::size_t to = from;
  for (int commas = 0; commas < 5 && to != std::string_view::npos; ++commas)
    to = line.find(',', to + 1);
  if (from == std::string_view::npos || to == std::string_view::npos) return {};
  return line.substr(from + 1, to - from - 1);
}

/// Keeps every ID number of the CSV and each unit's residents, and counts the residents of
/// the first community.
void TakeIds(std::string_view csv, City& city) {
  const std::string first = service::FirstCommunityPath();
  const std::string community = "," + first.substr(first.rfind('/') + 1) + ",";
  std::unordered_map<std::string_view, std::size_t> unit_index;
  std::size_t pos = csv.find('\n') + 1;  // past the header
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(pos, end - pos);
    if (line.size() > 18 && line[18] == ',') {
      IdNumber id;
      std::copy_n(line.data(), id.size(), id.data());
      const auto [unit, added] = unit_index.try_emplace(UnitOf(line), city.units.size());
      if (added) city.units.emplace_back();
      city.units[unit->second].push_back(static_cast<std::uint32_t>(city.ids.size()));
      city.ids.push_back(id);
      if (line.find(community) != std::string_view::npos) ++city.community_residents;
    }
    pos = end + 1;
  }
}

std::int64_t PlaceId(City& city, const std::string& path) {
  auto place = city.runtime->readers().RunSync(
      [&](store::Connection& db) { return store::FindPlaceByPath(db, path); });
  if (!place) throw std::runtime_error("bench: no place at " + path);
  return place->id;
}

template <typename T>
T OrThrow(core::Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error("bench: " + what + ": " + r.error().detail);
  return std::move(*r);
}

}  // namespace

service::CityShape ShapeFor(int residents) {
  service::CityShape s;
  const double per_building =
      s.units_per_building * s.floors * s.rooms_per_floor * s.people_per_room;
  const int buildings = std::max(1, static_cast<int>(std::lround(residents / per_building)));
  if (buildings <= kBuildingsPerCommunity) {
    s.streets = 1;
    s.communities_per_street = 1;
    s.buildings_per_community = buildings;
    return s;
  }
  // About 58 buildings a community, as many communities under each of up to four streets.
  int communities = std::max(
      1, static_cast<int>(std::lround(static_cast<double>(buildings) / kBuildingsPerCommunity)));
  s.streets = std::min(4, communities);
  s.communities_per_street = (communities + s.streets - 1) / s.streets;
  communities = s.streets * s.communities_per_street;
  s.buildings_per_community =
      std::max(1, static_cast<int>(std::lround(static_cast<double>(buildings) / communities)));
  return s;
}

City::~City() {
  runtime.reset();
  if (remove_dir && !dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
}

std::unique_ptr<City> BuildCity(const std::string& work_dir, int residents, unsigned readers,
                                bool quiet) {
  auto city = std::make_unique<City>();
  std::string pattern = (std::filesystem::path(work_dir) / "swabline-bench-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("bench: cannot make a folder in " + work_dir);
  city->dir = pattern;
  city->db_path = (city->dir / "bench.db").string();
  city->runtime =
      std::make_unique<service::Runtime>(service::DbOptions{city->db_path, "", readers});
  auto& rt = *city->runtime;
  const auto env = rt.env();

  const service::CityShape shape = ShapeFor(residents);
  if (!quiet) std::cout << "  generating the city's CSV…" << std::flush;
  std::string csv = service::DemoCityCsv(shape, 20221129, core::DateOf(env.clock.Now()));
  TakeIds(csv, *city);
  if (!quiet) std::cout << " " << city->ids.size() << " residents; importing…" << std::flush;

  const auto t0 = std::chrono::steady_clock::now();
  auto report = rt.writer().RunSync([&](store::Tx& tx) {
    return service::ImportResidents(tx, env, service::Actor::System(), csv);
  });
  city->import_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto imported = OrThrow(std::move(report), "import");
  city->imported = imported.created;
  if (!imported.rejected.empty())
    throw std::runtime_error("bench: the import rejected line " +
                             std::to_string(imported.rejected.front().line) + ": " +
                             imported.rejected.front().detail);
  csv.clear();
  csv.shrink_to_fit();
  malloc_trim(0);  // give the CSV's pages back: `serve` never holds one
  if (!quiet) std::cout << " done in " << city->import_seconds << " s" << std::endl;

  auto hash = OrThrow(service::HashPassword(kBenchPassword), "password");
  service::AddUserInput user{std::string(kBenchUser), "admin", "", hash};
  OrThrow(rt.writer().RunSync([&](store::Tx& tx) {
    return service::AddUser(tx, env, service::Actor::System(), user);
  }),
          "add user");

  const std::string community_path = service::FirstCommunityPath();
  city->district_id = PlaceId(*city, community_path.substr(0, community_path.find('/')));
  city->community_id = PlaceId(*city, community_path);
  auto site = rt.writer().RunSync([&](store::Tx& tx) {
    return service::CreateSite(tx, env, service::Actor::System(), "bench site", city->community_id);
  });
  city->site_id = OrThrow(std::move(site), "create site").id;
  return city;
}

std::int64_t CreateRound(City& city, const std::string& name) {
  const auto env = city.runtime->env();
  service::NewRound in;
  in.name = name;
  in.place_ids = {city.district_id};
  in.pool_size = 10;
  auto round = city.runtime->writer().RunSync(
      [&](store::Tx& tx) { return service::CreateRound(tx, env, service::Actor::System(), in); });
  return OrThrow(std::move(round), "create round").id;
}

namespace {

std::vector<std::string> Barcodes(const std::string& prefix, std::size_t count) {
  std::vector<std::string> barcodes;
  barcodes.reserve(count);
  char buf[48];
  for (std::size_t i = 0; i < count; ++i) {
    std::snprintf(buf, sizeof buf, "%s-%07zu", prefix.c_str(), i + 1);
    barcodes.emplace_back(buf);
  }
  return barcodes;
}

/// Runs `each(tx, i)` for every barcode, kTubesPerJob of them to a writer job; `each` returns
/// "" or what went wrong, and the first failure stops the setup.
void InWriterJobs(City& city, const std::vector<std::string>& barcodes, const char* what,
                  const std::function<std::string(store::Tx&, std::size_t)>& each) {
  for (std::size_t from = 0; from < barcodes.size(); from += kTubesPerJob) {
    const std::size_t to = std::min(barcodes.size(), from + kTubesPerJob);
    auto failed = city.runtime->writer().RunSync([&](store::Tx& tx) -> std::string {
      for (std::size_t i = from; i < to; ++i)
        if (auto why = each(tx, i); !why.empty()) return barcodes[i] + ": " + why;
      return {};
    });
    if (!failed.empty()) throw std::runtime_error(std::string("bench: ") + what + " " + failed);
  }
}

}  // namespace

std::vector<std::string> OpenTubes(City& city, std::int64_t round_id, const std::string& prefix,
                                   std::size_t count) {
  const auto env = city.runtime->env();
  auto barcodes = Barcodes(prefix, count);
  InWriterJobs(city, barcodes, "open tube", [&](store::Tx& tx, std::size_t i) {
    auto t = service::OpenTube(tx, env, service::Actor::System(),
                               {barcodes[i], round_id, city.site_id, {}, {}, {}});
    return t ? std::string() : t.error().detail;
  });
  return barcodes;
}

std::vector<std::string> FilledTubes(City& city, std::int64_t round_id, const std::string& prefix,
                                     std::size_t count) {
  const auto env = city.runtime->env();
  auto barcodes = Barcodes(prefix, count);
  InWriterJobs(city, barcodes, "fill tube", [&](store::Tx& tx, std::size_t i) {
    auto t = service::OpenTube(tx, env, service::Actor::System(),
                               {barcodes[i], round_id, city.site_id, 1, {}, {}});
    if (!t) return t.error().detail;
    auto s = service::AddSample(tx, env, service::Actor::System(), barcodes[i],
                                {std::string(ViewOf(city.ids.at(i))), {}, false, {}});
    return s ? std::string() : s.error().detail;
  });
  return barcodes;
}

std::uint32_t UnitPicker::Next() {
  for (std::size_t tried = 0; tried < taken_.size(); ++tried) {
    const std::size_t u = unit_;
    unit_ = (unit_ + 1) % taken_.size();
    if (taken_[u] < city_.units[u].size()) return city_.units[u][taken_[u]++];
  }
  throw std::runtime_error("bench: every resident of the city is in a pool already");
}

std::vector<std::string> FilledPools(City& city, std::int64_t round_id, const std::string& prefix,
                                     std::size_t count, int pool_size, UnitPicker& picker) {
  const auto env = city.runtime->env();
  auto barcodes = Barcodes(prefix, count);
  std::vector<std::uint32_t> members(count * static_cast<std::size_t>(pool_size));
  for (auto& m : members) m = picker.Next();
  InWriterJobs(city, barcodes, "fill pool", [&](store::Tx& tx, std::size_t i) {
    auto t = service::OpenTube(tx, env, service::Actor::System(),
                               {barcodes[i], round_id, city.site_id, pool_size, {}, {}});
    if (!t) return t.error().detail;
    for (int k = 0; k < pool_size; ++k) {
      const std::uint32_t who =
          members[i * static_cast<std::size_t>(pool_size) + static_cast<std::size_t>(k)];
      auto s = service::AddSample(tx, env, service::Actor::System(), barcodes[i],
                                  {std::string(ViewOf(city.ids[who])), {}, false, {}});
      if (!s) return s.error().detail;
    }
    return std::string();
  });
  return barcodes;
}

std::size_t SealTubes(City& city, std::int64_t round_id) {
  auto open = city.runtime->readers().RunSync([&](store::Connection& db) {
    std::vector<std::string> out;
    auto q =
        db.Query("SELECT barcode FROM tubes WHERE round_id = ? AND status = 'open' AND count > 0");
    q->Bind(1, round_id);
    while (q->Next() == store::Step::kRow) out.push_back(q->Str(0));
    return out;
  });
  const auto env = city.runtime->env();
  for (std::size_t from = 0; from < open.size(); from += kTubesPerJob) {
    const std::size_t to = std::min(open.size(), from + kTubesPerJob);
    city.runtime->writer().RunSync([&](store::Tx& tx) {
      for (std::size_t i = from; i < to; ++i)
        (void)service::SealTube(tx, env, service::Actor::System(), open[i]);
    });
  }
  return open.size();
}

ScanSource::ScanSource(const std::vector<IdNumber>& ids, const std::vector<std::string>& tubes,
                       std::string token, std::size_t connections, int capacity)
    : ids_(ids),
      tubes_(tubes),
      token_(std::move(token)),
      capacity_(capacity),
      conns_(connections) {}

bool ScanSource::Next(std::size_t conn, std::string& wire) {
  if (next_resident_ >= ids_.size()) return false;
  Conn& c = conns_[conn];
  if (!c.tube || c.in_tube >= capacity_) {
    if (next_tube_ >= tubes_.size()) {
      out_of_tubes_ = true;
      return false;
    }
    c.tube = static_cast<std::uint32_t>(next_tube_++);
    c.in_tube = 0;
  }
  ++c.in_tube;
  c.last = {*c.tube, static_cast<std::uint32_t>(next_resident_++)};
  target_.assign("/api/v1/tubes/");
  target_ += tubes_[c.last.tube];
  target_ += "/samples";
  body_.assign(R"({"person":")");
  body_ += ViewOf(ids_[c.last.resident]);
  body_ += R"("})";
  BuildRequestInto(wire, "POST", target_, token_, "application/json", body_);
  return true;
}

ChildServer::ChildServer(const std::string& db, const std::filesystem::path& log) {
  const std::string exe = "/proc/self/exe";
  const std::string log_path = log.string();
  std::vector<std::string> args = {"swabline", "serve", "--db", db, "--listen", "127.0.0.1:0",
                                   "--no-access-log",
                                   // the bench is one address driving the load of thousands
                                   "--login-rate", "0", "--status-rate", "0"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("bench: fork failed");
  if (pid_ == 0) {
    const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const std::string needle = "serving on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream f(log_path);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    if (auto at = text.find(needle); at != std::string::npos) {
      port_ = static_cast<std::uint16_t>(std::stoi(text.substr(at + needle.size())));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("bench: the server exited at start:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill9();
  throw std::runtime_error("bench: the server did not start within 60 s");
}

ChildServer::~ChildServer() {
  if (pid_ > 0) Stop();
}

void ChildServer::Kill9() {
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ChildServer::Stop() {
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

std::string LogIn(const std::string& host, std::uint16_t port) {
  const std::string body = R"({"username":")" + std::string(kBenchUser) + R"(","password":")" +
                           std::string(kBenchPassword) + R"("})";
  auto r =
      Fetch(host, port, BuildRequest("POST", "/api/v1/sessions", {}, "application/json", body));
  auto token = r.status == 201 ? JsonStringField(r.body, "token") : std::nullopt;
  if (!token)
    throw std::runtime_error("bench: login failed: " + std::to_string(r.status) + " " + r.body +
                             r.error);
  return *token;
}

std::optional<std::string> JsonStringField(std::string_view json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":\"";
  auto at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  at += needle.size();
  auto end = json.find('"', at);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(json.substr(at, end - at));
}

std::optional<std::int64_t> JsonIntField(std::string_view json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  auto at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  at += needle.size();
  std::int64_t v = 0;
  bool any = false;
  while (at < json.size() && json[at] >= '0' && json[at] <= '9') {
    v = v * 10 + (json[at++] - '0');
    any = true;
  }
  if (!any) return std::nullopt;
  return v;
}

std::uint64_t ResidentBytes(const std::string& field, int pid) {
  std::ifstream f(pid ? "/proc/" + std::to_string(pid) + "/status"
                      : std::string("/proc/self/status"));
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field + ":", 0) == 0)
      return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10) * 1024;
  }
  return 0;
}

}  // namespace swabline::bench
