// swabline: the one program. Each subcommand is wired here; the work lives in the layers.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/bench.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace swabline::cli;
  CLI::App app{"Swabline: community mass screening and outbreak response (社区核酸筛查与疫情应急处置)"};
  app.set_version_flag("--version", SWABLINE_VERSION);
  app.require_subcommand(1);

  DbOptions db;
  auto add_db = [&db](CLI::App* cmd) {
    cmd->add_option("--db", db.db_path, "SQLite database file (env SWABLINE_DB)")
        ->envname("SWABLINE_DB")
        ->capture_default_str();
    cmd->add_option("--key", db.key_path,
                    "key file for ID-number encryption (default: <db>.key; created mode 0600)")
        ->envname("SWABLINE_KEY");
  };

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API and the web UI");
  add_db(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "IO threads (0 = one per core)");
  serve_cmd->add_option("--readers", db.readers, "database reader threads")->capture_default_str();
  serve_cmd->add_option("--web-dir", serve.web_dir, "folder of the browser UI")->capture_default_str();
  serve_cmd->add_flag("--no-access-log", serve.quiet, "do not log each request");

  auto* migrate_cmd = app.add_subcommand("migrate", "Create or upgrade the database schema");
  add_db(migrate_cmd);

  auto* user_cmd = app.add_subcommand("user", "Manage users");
  user_cmd->require_subcommand(1);
  UserAddOptions user_add;
  auto* user_add_cmd = user_cmd->add_subcommand("add", "Add a user (the password is read from stdin)");
  add_db(user_add_cmd);
  user_add_cmd->add_option("name", user_add.username, "username")->required();
  user_add_cmd->add_option("--role", user_add.role,
                           "admin, command, community, recorder, courier, lab or viewer")
      ->required();
  user_add_cmd->add_option("--scope", user_add.scope,
                           "place path the user is limited to, e.g. 朝阳区/和平街街道/小黄庄社区");
  user_add_cmd->add_flag("--password-stdin", user_add.password_stdin,
                         "read the password from standard input (required)")
      ->required();

  auto* import_cmd = app.add_subcommand("import", "Import data from files");
  import_cmd->require_subcommand(1);
  std::string import_file;
  auto* import_residents_cmd = import_cmd->add_subcommand(
      "residents", "Import residents from CSV (id_number,name,phone,district,street,community,"
                   "building,unit,room,tags)");
  add_db(import_residents_cmd);
  import_residents_cmd->add_option("file", import_file, "CSV file")->required()->check(CLI::ExistingFile);

  DemoOptions demo;
  auto* demo_cmd = app.add_subcommand("demo", "Build a demo city in a fresh database, print the logins, and serve it");
  demo_cmd->add_option("--db", demo.db.db_path, "database file to create (replaced if it exists)")
      ->capture_default_str();
  demo_cmd->add_option("--listen", demo.serve.listen, "HOST:PORT to listen on")->capture_default_str();
  demo_cmd->add_option("--web-dir", demo.serve.web_dir, "folder of the browser UI")->capture_default_str();
  demo_cmd->add_option("--communities", demo.communities, "communities of about 2,000 residents")
      ->capture_default_str();
  demo_cmd->add_flag("--no-serve", demo.no_serve, "build the city and exit");

  auto* audit_cmd = app.add_subcommand("audit", "Inspect the audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "Walk the hash chain and report the first broken record");
  add_db(audit_verify_cmd);

  BenchOptions bench;
  auto* bench_cmd = app.add_subcommand(
      "bench", "Benchmark a synthetic city through the real HTTP API (see docs/benchmarks.md)");
  bench_cmd->add_option("--residents", bench.residents, "residents in the synthetic city (default 100000)");
  bench_cmd->add_option("--connections", bench.connections, "keep-alive connections")->capture_default_str();
  bench_cmd->add_option("--duration", bench.duration, "seconds per load phase (default 5)");
  bench_cmd->add_option("--rate", bench.rate, "scans/s of the latency phase (default: half the scan rate)");
  bench_cmd->add_flag("--quick", bench.quick, "short phases: every figure in under two minutes");
  bench_cmd->add_flag("--smoke", bench.smoke, "a ~10 s correctness run; exits 1 on any error");
  bench_cmd->add_flag("--crash-check", bench.crash_check,
                      "kill -9 a child server during scans and check no acknowledged scan is lost");
  bench_cmd->add_option("--json", bench.json_path, "also write the figures to this file");
  bench_cmd->add_option("--dir", bench.work_dir, "where to make the temporary database")->capture_default_str();
  bench_cmd->add_flag("--keep", bench.keep, "keep the temporary database");
  bench_cmd->add_option("--server-threads", bench.server_threads, "server IO threads (0 = one per core)");
  bench_cmd->add_option("--readers", bench.readers, "server reader threads")->capture_default_str();
  bench_cmd->add_option("--only", bench.only,
                        "only these phases: healthz,scans,latency,staff,code,lab,coverage,memory");

  CLI11_PARSE(app, argc, argv);

  try {
    if (serve_cmd->parsed()) return RunServe(db, serve);
    if (migrate_cmd->parsed()) return RunMigrate(db);
    if (user_add_cmd->parsed()) return RunUserAdd(db, user_add);
    if (import_residents_cmd->parsed()) return RunImportResidents(db, import_file);
    if (demo_cmd->parsed()) return RunDemo(demo);
    if (audit_verify_cmd->parsed()) return RunAuditVerify(db);
    if (bench_cmd->parsed()) return bench.crash_check ? RunCrashCheck(bench) : RunBench(bench);
  } catch (const std::exception& e) {
    std::cerr << "swabline: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
