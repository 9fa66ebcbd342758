// `swabline bench --crash-check`: a kill -9 of the server during scans loses no acknowledged
// scan. The server runs as a child process (`swabline serve`) so that it can be killed for
// real; every 201 the load generator reads is written down, and after a restart on the same
// database each one is looked for, in the database and over HTTP.

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "bench/bench.hpp"
#include "bench/city.hpp"
#include "bench/loadgen.hpp"
#include "store/connection.hpp"

namespace swabline::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Ack {
  std::int64_t sample_id = 0;
  std::uint32_t tube = 0;
  std::uint32_t resident = 0;
};

/// Acknowledged scans missing from the database after the restart.
std::size_t MissingInDatabase(const std::string& db_path, const std::vector<Ack>& acks,
                              const std::vector<std::string>& tubes) {
  store::Connection db(db_path, store::OpenMode::kReadOnly);
  std::size_t missing = 0;
  for (const auto& a : acks) {
    auto q = db.Query("SELECT tube_barcode FROM samples WHERE id = ? AND voided_at IS NULL");
    q->Bind(1, a.sample_id);
    if (q->Next() != store::Step::kRow || q->Text(0) != tubes[a.tube]) ++missing;
  }
  return missing;
}

std::int64_t StoredSamples(const std::string& db_path) {
  store::Connection db(db_path, store::OpenMode::kReadOnly);
  auto q = db.Query("SELECT COUNT(*) FROM samples");
  q->Next();
  return q->Int(0);
}

/// Acknowledged scans whose tube, read over HTTP from the restarted server, lacks them.
std::size_t MissingOverHttp(std::uint16_t port, const std::string& token,
                            const std::vector<Ack>& acks, const std::vector<std::string>& tubes,
                            std::string& error) {
  std::map<std::uint32_t, std::vector<std::int64_t>> by_tube;
  for (const auto& a : acks) by_tube[a.tube].push_back(a.sample_id);
  std::vector<std::uint32_t> order;
  order.reserve(by_tube.size());
  for (const auto& [tube, ids] : by_tube) order.push_back(tube);
  std::vector<std::uint32_t> asked(8);
  std::size_t next = 0;
  std::size_t missing = 0;
  LoadOptions load;
  load.port = port;
  load.connections = asked.size();
  auto r = RunLoad(
      load,
      [&](std::size_t c, std::string& wire) {
        if (next >= order.size()) return false;
        asked[c] = order[next++];
        BuildRequestInto(wire, "GET", "/api/v1/tubes/" + tubes[asked[c]], token);
        return true;
      },
      [&](std::size_t c, int status, std::string_view body) {
        const auto& ids = by_tube[asked[c]];
        if (status != 200) {
          missing += ids.size();
          return;
        }
        for (auto id : ids)
          if (body.find(fmt::format("\"id\":{},", id)) == std::string_view::npos) ++missing;
      });
  if (r.transport_errors || r.errors) error = r.first_error;
  if (r.responses < order.size()) missing += 1;  // a tube we could not ask about
  return missing;
}

/// The scans up to the kill: every acknowledged one, and how the run ended.
struct KilledRun {
  std::vector<Ack> acks;
  std::size_t unreadable = 0;  // 201s whose sample id could not be read
  LoadResult result;
  bool mid_run = false;  // the kill came while scans were still being sent
};

/// Scans into `tubes` until about 10,000 (a third of the city at most) are acknowledged, then
/// kill -9s the server while the load generator is still sending.
KilledRun ScanUntilKilled(ChildServer& server, const City& city,
                          const std::vector<std::string>& tubes, std::size_t connections) {
  const std::string token = LogIn("127.0.0.1", server.port());
  std::cout << "  server (pid of a child) on port " << server.port() << "; scanning over "
            << connections << " connections…" << std::endl;
  ScanSource source(city.ids, tubes, token, connections);
  KilledRun run;
  run.acks.reserve(city.ids.size());
  std::atomic<std::size_t> acked{0};
  LoadOptions load;
  load.port = server.port();
  load.connections = connections;
  load.ok_status = 201;
  load.give_up = std::chrono::seconds(60);
  std::thread driver([&] {
    run.result = RunLoad(
        load, [&](std::size_t c, std::string& wire) { return source.Next(c, wire); },
        [&](std::size_t c, int status, std::string_view body) {
          if (status != 201) return;
          auto id = JsonIntField(body, "id");
          if (!id) {
            ++run.unreadable;
            return;
          }
          run.acks.push_back({*id, source.last(c).tube, source.last(c).resident});
          acked.store(run.acks.size(), std::memory_order_release);
        });
  });
  const std::size_t kill_after = std::min<std::size_t>(10'000, city.ids.size() / 3);
  const auto give_up = SteadyClock::now() + std::chrono::seconds(30);
  while (acked.load(std::memory_order_acquire) < kill_after && SteadyClock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.Kill9();
  driver.join();
  run.mid_run = !source.ran_out_of_residents() && run.result.transport_errors > 0;
  std::cout << fmt::format(
                   "  kill -9 after {} acknowledged scans ({} requests were in flight or "
                   "refused: {})",
                   run.acks.size(), run.result.transport_errors, run.result.first_error)
            << std::endl;
  return run;
}

/// What a restarted server and its database say about the acknowledged scans.
struct AfterRestart {
  std::size_t missing_db = 0;
  std::size_t missing_http = 0;
  std::int64_t stored = 0;         // samples in the database, acknowledged or not
  bool checker_sees_loss = false;  // the checker itself reports an invented scan missing
  std::string http_error;
};

AfterRestart CheckAfterRestart(const City& city, const std::vector<Ack>& acks,
                               const std::vector<std::string>& tubes) {
  ChildServer server(city.db_path, city.dir / "serve-2.log");
  const std::string token = LogIn("127.0.0.1", server.port());
  AfterRestart after;
  after.missing_db = MissingInDatabase(city.db_path, acks, tubes);
  after.checker_sees_loss = MissingInDatabase(city.db_path, {Ack{-1, 0, 0}}, tubes) == 1;
  after.missing_http = MissingOverHttp(server.port(), token, acks, tubes, after.http_error);
  after.stored = StoredSamples(city.db_path);
  server.Stop();
  return after;
}

/// Prints the verdict; true when no acknowledged scan was lost and the check meant something.
bool Judge(const KilledRun& run, const AfterRestart& after) {
  const auto acked = static_cast<std::int64_t>(run.acks.size());
  std::cout << fmt::format(
      "  after the restart: {} of {} acknowledged scans missing in the database, {} missing "
      "over HTTP; {} samples stored ({} committed whose answer was lost with the kill)\n",
      after.missing_db, acked, after.missing_http, after.stored, after.stored - acked);
  if (!after.http_error.empty()) std::cout << "  HTTP check error: " << after.http_error << "\n";
  if (!after.checker_sees_loss) std::cout << "  the checker failed to notice an invented scan\n";
  if (!run.mid_run) std::cout << "  the scans ended before the kill: the check proves nothing\n";
  if (run.result.errors)
    std::cout << "  scans refused before the kill: " << run.result.first_error << "\n";
  const bool ok = after.checker_sees_loss && acked > 0 && run.mid_run && after.missing_db == 0 &&
                  after.missing_http == 0 && run.unreadable == 0 && run.result.errors == 0 &&
                  after.stored >= acked;
  std::cout << (ok ? "CRASH CHECK PASSED: no acknowledged scan was lost" : "CRASH CHECK FAILED")
            << std::endl;
  return ok;
}

}  // namespace

int RunCrashCheck(const Options& options) {
  const int residents = options.residents > 0 ? options.residents : 20'000;
  const std::size_t connections = std::min<std::size_t>(options.connections, 32);
  std::cout << "Crash check: building a city of about " << residents << " residents" << std::endl;
  auto city = BuildCity(options.work_dir, residents, options.readers, false);
  city->remove_dir = !options.keep;
  const std::int64_t round = CreateRound(*city, "crash check");
  const auto tubes = OpenTubes(*city, round, "KC", city->ids.size() / 10 + 2 * connections);
  city->runtime.reset();  // the server process owns the database from here

  KilledRun run;
  {
    ChildServer server(city->db_path, city->dir / "serve-1.log");
    run = ScanUntilKilled(server, *city, tubes, connections);
  }
  return Judge(run, CheckAfterRestart(*city, run.acks, tubes)) ? 0 : 1;
}

}  // namespace swabline::bench
