#pragma once
/// The synthetic city `swabline bench` works on: a fresh database in a temporary folder, the
/// residents of service::DemoCityCsv, an admin, rounds, a site and pre-opened tubes; and the
/// source of scan requests that fills those tubes. Shared by the benchmark and the crash check.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/demo_city.hpp"
#include "service/runtime.hpp"

namespace swabline::bench {

using IdNumber = std::array<char, 18>;

inline std::string_view ViewOf(const IdNumber& id) { return {id.data(), id.size()}; }

/// A city shape of about `residents` people: communities of about 12,000 (58 buildings) once
/// the city is large enough, under up to four streets.
service::CityShape ShapeFor(int residents);

struct City {
  std::filesystem::path dir;
  std::string db_path;
  std::unique_ptr<service::Runtime> runtime;
  std::vector<IdNumber> ids;  // every resident's ID number, in import order
  /// Each unit's residents (indexes into `ids`), units in the order the CSV names them.
  std::vector<std::vector<std::uint32_t>> units;
  double import_seconds = 0;
  std::size_t imported = 0;
  std::int64_t district_id = 0;
  std::int64_t community_id = 0;  // the first community
  std::int64_t community_residents = 0;
  std::int64_t site_id = 0;

  ~City();
  /// Removes the folder when the city is destroyed (unless kept).
  bool remove_dir = true;
};

inline constexpr std::string_view kBenchUser = "bench-admin";
inline constexpr std::string_view kBenchPassword = "bench-password-1";

/// Makes the folder, imports the city (timed), adds the admin and a site.
std::unique_ptr<City> BuildCity(const std::string& work_dir, int residents, unsigned readers,
                                bool quiet);
/// A round of pool size 10 over the whole district.
std::int64_t CreateRound(City& city, const std::string& name);
/// Opens `count` tubes "<prefix>-0000001"… in the round at the city's site.
std::vector<std::string> OpenTubes(City& city, std::int64_t round_id, const std::string& prefix,
                                   std::size_t count);
/// Opens `count` tubes "<prefix>-0000001"… of capacity 1 in the round and samples one resident
/// into each, residents in order (a tube seals itself when full). Through the use cases, so
/// every table they keep is as a real round would leave it. REQUIRES: count <= residents.
std::vector<std::string> FilledTubes(City& city, std::int64_t round_id, const std::string& prefix,
                                     std::size_t count);

/// Hands out the city's residents one unit after another, each resident once: any `n`
/// consecutive picks live in `n` distinct units while `n` units have residents left.
class UnitPicker {
 public:
  explicit UnitPicker(const City& city) : city_(city), taken_(city.units.size(), 0) {}
  /// The next resident (an index into city.ids); throws when every one was handed out.
  std::uint32_t Next();

 private:
  const City& city_;
  std::vector<std::size_t> taken_;  // per unit
  std::size_t unit_ = 0;
};

/// Opens `count` tubes "<prefix>-0000001"… of capacity `pool_size` in the round and samples
/// `pool_size` residents from `picker` into each (so each tube seals itself), through the use
/// cases like FilledTubes. REQUIRES: the picked residents are not sampled in the round yet.
std::vector<std::string> FilledPools(City& city, std::int64_t round_id, const std::string& prefix,
                                     std::size_t count, int pool_size, UnitPicker& picker);
/// Seals every open tube of the round that holds a sample; returns how many it sealed.
std::size_t SealTubes(City& city, std::int64_t round_id);

/// Hands each connection its next scan: residents in order, each once, over all connections;
/// each connection fills its own tube, `capacity` scans, then takes the next free tube.
/// Used on the load generator's thread only.
class ScanSource {
 public:
  ScanSource(const std::vector<IdNumber>& ids, const std::vector<std::string>& tubes,
             std::string token, std::size_t connections, int capacity = 10);

  bool Next(std::size_t conn, std::string& wire);

  struct Scan {
    std::uint32_t tube = 0;      // index into the tubes
    std::uint32_t resident = 0;  // index into the ids
  };
  /// The scan a connection sent last (the one its answer is for).
  const Scan& last(std::size_t conn) const { return conns_[conn].last; }
  std::size_t tubes_used() const { return next_tube_; }
  std::size_t residents_sent() const { return next_resident_; }
  bool ran_out_of_residents() const { return next_resident_ >= ids_.size(); }
  bool ran_out_of_tubes() const { return out_of_tubes_; }

 private:
  struct Conn {
    std::optional<std::uint32_t> tube;
    int in_tube = 0;
    Scan last;
  };
  const std::vector<IdNumber>& ids_;
  const std::vector<std::string>& tubes_;
  std::string token_;
  int capacity_;
  std::vector<Conn> conns_;
  std::size_t next_tube_ = 0;
  std::size_t next_resident_ = 0;
  bool out_of_tubes_ = false;
  std::string target_;
  std::string body_;
};

/// `swabline serve --db <db> --listen 127.0.0.1:0` in a child process, its output in `log`.
/// The constructor returns once the server listens (or throws). Stopped (SIGTERM) when
/// destroyed.
class ChildServer {
 public:
  ChildServer(const std::string& db, const std::filesystem::path& log);
  ~ChildServer();
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  std::uint16_t port() const { return port_; }
  int pid() const { return pid_; }
  /// kill -9, and reap it.
  void Kill9();
  /// SIGTERM, then SIGKILL if it has not gone after ten seconds.
  void Stop();

 private:
  int pid_ = -1;
  std::uint16_t port_ = 0;
};

/// Logs in over HTTP and returns the bearer token; throws with the server's answer otherwise.
std::string LogIn(const std::string& host, std::uint16_t port);

/// The value of a top-level-looking `"key":"…"` / `"key":123` in a JSON text: enough for the
/// few fields the benchmark reads back without a JSON library.
std::optional<std::string> JsonStringField(std::string_view json, std::string_view key);
std::optional<std::int64_t> JsonIntField(std::string_view json, std::string_view key);

/// VmRSS / VmHWM of this process (or of `pid`), in bytes; 0 when unknown.
std::uint64_t ResidentBytes(const std::string& field = "VmRSS", int pid = 0);

}  // namespace swabline::bench
