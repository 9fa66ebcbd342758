#include "cli/commands.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/demo_round.hpp"
#include "cli/outbox.hpp"
#include "core/time_zone.hpp"
#include "http/app.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "http/zone_timer.hpp"
#include "service/auth.hpp"
#include "service/demo_city.hpp"
#include "service/registry.hpp"
#include "service/roster_rows.hpp"
#include "store/connection.hpp"

namespace swabline::cli {
namespace {

void SplitListen(const std::string& listen, http::ServerOptions& o) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("--listen wants HOST:PORT, not " + listen);
  o.host = listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
  o.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
}

int Serve(Runtime& rt, const ServeOptions& options, const std::string& banner) {
  service::Env env = rt.env();
  env.strict_tubes = options.strict_tubes;
  http::App app(env, rt.writer(), rt.readers(), options.web_dir);
  if (options.settable_clock) app.set_settable_clock(&rt.clock());
  app.SetRateLimits(options.limits);
  app.SetAdmission({std::chrono::milliseconds(options.queue_budget_ms), options.max_queued});
  auto proxies = http::TrustedProxies::Parse(options.trusted_proxies);
  if (!proxies) throw std::runtime_error("--trusted-proxy: " + proxies.error().detail);
  http::Router router = http::BuildRouter(app);
  // Declared before the server, so it stops after the server's last request has committed.
  auto outbox = StartOutboxWorker(rt, app, options);
  http::ServerOptions so;
  SplitListen(options.listen, so);
  so.threads = options.threads;
  so.access_log = !options.quiet;
  so.max_connections = options.max_connections;
  so.trusted_proxies = std::move(*proxies);
  http::Server server(app, router, so);
  // SIGHUP: re-read the key file now (it is also re-read within a second of changing).
  std::signal(SIGHUP, [](int) { store::Vault::RequestReload(); });
  server.Start();
  std::optional<http::ZoneTimer> zone_timer;
  if (options.zone_evaluation_seconds > 0)
    zone_timer.emplace(rt.writer(), rt.env(),
                       std::chrono::seconds(options.zone_evaluation_seconds));
  std::optional<http::GateScanPurgeTimer> gate_purge;
  if (options.gate_purge_seconds > 0)
    gate_purge.emplace(rt.writer(), rt.env(), std::chrono::seconds(options.gate_purge_seconds));
  std::cout << banner << "Swabline is serving on http://" << so.host << ":" << server.port()
            << "/  (Ctrl-C stops)" << std::endl;
  server.RunUntilSignal();
  return 0;
}

/// The offset of `--tz`, or nullopt after saying on stderr which zones there are.
std::optional<int> TimeZoneOffset(const ServeOptions& options) {
  auto offset = core::UtcOffsetMinutes(options.tz);
  if (!offset)
    std::cerr << "swabline: unknown time zone '" << options.tz
              << "' for --tz; supported (zones without daylight saving time): "
              << core::SupportedTimeZones() << "\n";
  return offset;
}

// Carries a failed import out of the writer, which then rolls back all it wrote.
struct ImportFailed {
  core::Error error;
};

core::Result<service::ImportReport> Import(
    Runtime& rt, std::string_view file, service::RosterFormat format = service::RosterFormat::kCsv,
    const service::ImportProgress& progress = {}) {
  auto env = rt.env();
  try {
    return rt.writer().RunSync([&](store::Tx& tx) {
      auto report =
          service::ImportResidents(tx, env, service::Actor::System(), file, format, progress);
      if (!report) throw ImportFailed{report.take_error()};
      return report;
    });
  } catch (ImportFailed& failed) {
    return std::move(failed.error);
  }
}

// An import's progress on stderr: on a terminal one line kept up to date, elsewhere (a log) a
// line every 100,000 rows.
class ImportProgressLine {
 public:
  void Tell(std::size_t rows, double fraction) {
    const int percent = static_cast<int>(fraction * 100);
    if (tty_) {
      std::cerr << "\rimporting: " << percent << "% (" << rows << " rows)" << std::flush;
      shown_ = true;
    } else if (rows % 100'000 == 0) {
      std::cerr << "importing: " << rows << " rows (" << percent << "%)\n";
    }
  }
  /// Ends the line kept up to date, if one was shown.
  void Finish() {
    if (shown_) std::cerr << "\n";
    shown_ = false;
  }

 private:
  bool tty_ = isatty(STDERR_FILENO) != 0;
  bool shown_ = false;
};

int AddUser(Runtime& rt, const UserAddOptions& o, const std::string& password) {
  auto hash = service::HashPassword(password);
  if (!hash) {
    std::cerr << "swabline: " << hash.error().detail << "\n";
    return 2;
  }
  auto env = rt.env();
  service::AddUserInput in{o.username, o.role, o.scope, *hash};
  auto id = rt.writer().RunSync(
      [&](store::Tx& tx) { return service::AddUser(tx, env, service::Actor::System(), in); });
  if (!id) {
    std::cerr << "swabline: " << id.error().detail << " (" << core::ErrorCodeName(id.error().code)
              << ")\n";
    return 2;
  }
  return 0;
}

}  // namespace

int RunServe(const DbOptions& db, const ServeOptions& options) {
  const auto offset = TimeZoneOffset(options);
  if (!offset) return 2;
  Runtime rt(db);
  rt.set_utc_offset_minutes(*offset);
  return Serve(rt, options, "");
}

int RunMigrate(const DbOptions& db) {
  Runtime rt(db);
  std::cout << "schema version " << rt.schema_version() << "\n";
  return 0;
}

int RunUserAdd(const DbOptions& db, const UserAddOptions& o) {
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n'))
    password.pop_back();
  Runtime rt(db);
  if (int rc = AddUser(rt, o, password); rc != 0) return rc;
  std::cout << "added user " << o.username << " (" << o.role << ")\n";
  return 0;
}

int RunImportResidents(const DbOptions& db, const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  const auto format = bytes.starts_with(service::kZipMagic) ? service::RosterFormat::kXlsx
                                                            : service::RosterFormat::kCsv;
  Runtime rt(db);
  ImportProgressLine line;
  auto report = Import(rt, bytes, format,
                       [&line](std::size_t rows, double fraction) { line.Tell(rows, fraction); });
  line.Finish();
  if (!report) {
    std::cerr << "swabline: " << report.error().detail << " ("
              << core::ErrorCodeName(report.error().code) << ")\n";
    return 2;
  }
  std::cout << "created " << report->created << ", updated " << report->updated << ", rejected "
            << report->rejected.size() << " (read as " << report->encoding << ")\n";
  for (const auto& r : report->rejected)
    std::cout << "  line " << r.line << ": " << r.code << ": " << r.detail << "\n";
  return report->rejected.empty() ? 0 : 3;
}

int RunDemo(const DemoOptions& o) {
  const auto offset = TimeZoneOffset(o.serve);
  if (!offset) return 2;
  for (const char* suffix : {"", "-wal", "-shm", ".key"})
    std::filesystem::remove(o.db.db_path + suffix);
  Runtime rt(o.db);
  rt.set_utc_offset_minutes(*offset);
  service::SystemClock clock;
  service::CityShape shape;
  shape.streets = (o.communities + 2) / 3;
  shape.communities_per_street = std::min(3, o.communities);
  std::cout << "Building the demo city (" << o.communities << " communities)..." << std::endl;
  auto report = Import(rt, service::DemoCityCsv(shape, 20221129, core::DateOf(clock.Now())));
  if (!report) throw std::runtime_error(report.error().detail);

  struct Login {
    const char* user;
    const char* role;
    std::string scope;
  };
  const std::string community = service::FirstCommunityPath();
  const std::vector<Login> logins = {{"admin", "admin", ""},
                                     {"command", "command", ""},
                                     {"community", "community", community},
                                     {"recorder", "recorder", ""},
                                     {"courier", "courier", ""},
                                     {"lab", "lab", ""},
                                     {"viewer", "viewer", ""},
                                     {"guard", "guard", community}};
  const std::string password = "swabline-demo";
  std::ostringstream banner;
  banner << "\nDemo city ready: " << report->created << " residents in " << o.communities
         << " communities of 朝阳区.\nLogins (password for all: " << password << "):\n";
  for (const auto& l : logins) {
    if (AddUser(rt, {l.user, l.role, l.scope, true}, password) != 0)
      throw std::runtime_error("cannot add demo user");
    banner << "  " << l.user << (l.scope.empty() ? "" : "  (scope " + l.scope + ")") << "\n";
  }
  const DemoRoundSummary round = SeedDemoRound(rt);
  banner << "\nA round in progress: 第1轮全员核酸 (id " << round.round_id << "), " << round.samples
         << " people sampled into " << round.tubes << " tubes; tube " << round.positive_tube
         << " is a positive pool.\n";
  const DemoOutbreakSummary outbreak = SeedDemoOutbreak(rt, round);
  banner << "Outbreak response (menu 疫情处置 / Incidents, 管控区域 / Zones):\n"
         << "  incident " << outbreak.pool_incident_id << ": the positive pool, "
         << outbreak.retests_done << " of " << outbreak.retests
         << " retests negative, half its tasks assigned\n"
         << "  incident " << outbreak.antigen_incident_id << ": an antigen self-test, "
         << outbreak.checklist_done << " of 5 checklist items done\n"
         << "  a controlled zone over " << outbreak.zone_place << " (started by hand)\n";
  const DemoQueueSummary queues = SeedDemoQueues(rt);
  banner << "Queues (public, no sign-in: #/queue): " << queues.waiting << " people waiting at "
         << queues.sites << " sites, " << queues.collectors
         << " collectors on shift; one site per three keeps evening hours\n\n";
  const DemoGatesSummary gates = SeedDemoGates(rt, round);
  banner << "Community operations: " << gates.sites
         << " sites with a tube batch and stock (批次与库存); checkpoint " << gates.checkpoint_id
         << " " << gates.checkpoint_name << " with " << gates.scans
         << " logged scans (login guard, menu 卡口 / Gate)\n\n";
  const DemoCommunitySummary office = SeedDemoCommunity(rt, round);
  banner << "Community office (menu 居民诉求 / Requests, 在岗人员 / On duty): " << office.on_duty
         << " staff on shift; requests " << office.zoned_request_id << " (controlled building), "
         << office.overdue_request_id << " (overdue), " << office.assigned_request_id
         << " (assigned)\n\n";
  banner << "A resident's own page (no sign-in; their colour, QR code, results, nearby queues):\n"
         << "  /#/status?code=" << office.resident_code << "\n\n";
  if (o.no_serve) {
    std::cout << banner.str();
    return 0;
  }
  return Serve(rt, o.serve, banner.str());
}

}  // namespace swabline::cli
