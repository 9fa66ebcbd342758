// swabline: the one program. Each subcommand is wired here; the work lives in the layers.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench/bench.hpp"
#include "cli/commands.hpp"
#include "cli/keys.hpp"
#include "core/time_zone.hpp"

namespace {

using namespace swabline::cli;
namespace core = swabline::core;
namespace bench = swabline::bench;

/// Every subcommand's options and its parser, filled by CLI11 and read by Dispatch.
struct Commands {
  DbOptions db;
  ServeOptions serve;
  UserAddOptions user_add;
  std::string import_file;
  std::vector<std::string> anchor_files;
  std::string anchor_date;
  BackupOptions backup;
  RestoreOptions restore;
  DemoOptions demo;
  bench::Options bench;
  KeysOptions keys;

  CLI::App* serve_cmd = nullptr;
  CLI::App* migrate_cmd = nullptr;
  CLI::App* user_add_cmd = nullptr;
  CLI::App* import_residents_cmd = nullptr;
  CLI::App* demo_cmd = nullptr;
  CLI::App* audit_verify_cmd = nullptr;
  CLI::App* audit_anchor_cmd = nullptr;
  CLI::App* backup_cmd = nullptr;
  CLI::App* restore_cmd = nullptr;
  CLI::App* bench_cmd = nullptr;
};

void AddDbOptions(CLI::App* cmd, DbOptions& db) {
  cmd->add_option("--db", db.db_path, "SQLite database file (env SWABLINE_DB)")
      ->envname("SWABLINE_DB")
      ->capture_default_str();
  cmd->add_option("--key", db.key_path,
                  "key file: ID-number sealing and look-up keys, personal-code signing keys "
                  "(default: <db>.key; created mode 0600; see swabline keys)")
      ->envname("SWABLINE_KEY");
}

void AddTimeZone(CLI::App* cmd, ServeOptions& serve) {
  cmd->add_option("--tz", serve.tz,
                  "time zone of sites' opening hours; zones without daylight saving time: " +
                      core::SupportedTimeZones())
      ->capture_default_str();
}

void AddLimitOptions(CLI::App* cmd, ServeOptions& serve) {
  cmd->add_option("--max-connections", serve.max_connections,
                  "connections open at once; one more is answered 503 and closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--login-rate", serve.limits.login_attempts,
                  "logins (POST /api/v1/sessions) a minute per client address (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--login-failures", serve.limits.login_failures,
                  "failed logins a minute per client address and username (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--status-rate", serve.limits.status_lookups,
                  "public status look-ups (GET /api/v1/status?code=) a minute per client "
                  "address (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--request-rate", serve.limits.request_submissions,
                  "residents' requests sent without a token (POST /api/v1/requests) a minute "
                  "per client address (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--queue-budget-ms", serve.queue_budget_ms,
                  "longest a request waits for a database thread once a queue has stood that "
                  "long; later ones are answered 503 overloaded (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--max-queued", serve.max_queued,
                  "requests waiting for the readers, and for the writer; one more is answered "
                  "503 overloaded (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                  "address range (CIDR, repeatable) of reverse proxies whose X-Forwarded-For "
                  "names the client; from anyone else the header is ignored");
}

void AddServe(CLI::App& app, Commands& c) {
  c.serve_cmd = app.add_subcommand("serve", "Serve the HTTP API and the web UI");
  AddDbOptions(c.serve_cmd, c.db);
  c.serve_cmd->add_option("--listen", c.serve.listen, "HOST:PORT to listen on")
      ->capture_default_str();
  c.serve_cmd->add_option("--threads", c.serve.threads, "IO threads (0 = one per core)");
  c.serve_cmd->add_option("--readers", c.db.readers, "database reader threads")
      ->capture_default_str();
  c.serve_cmd->add_option("--web-dir", c.serve.web_dir, "folder of the browser UI")
      ->capture_default_str();
  c.serve_cmd->add_flag("--no-access-log", c.serve.quiet, "do not log each request");
  c.serve_cmd->add_option("--webhook-url", c.serve.webhook_url,
                          "deliver outbox messages as signed JSON POSTs to this http:// URL "
                          "(TLS is not supported yet); without it they are logged");
  c.serve_cmd->add_option("--webhook-secret-file", c.serve.webhook_secret_file,
                          "file holding the webhook's HMAC-SHA256 secret");
  c.serve_cmd
      ->add_option("--outbox-poll-ms", c.serve.outbox_poll_ms,
                   "how often the outbox worker looks for messages to deliver")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c.serve_cmd
      ->add_option("--outbox-retry-base-ms", c.serve.outbox_retry_base_ms,
                   "wait after a failed delivery; doubles with each retry, up to an hour")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  AddTimeZone(c.serve_cmd, c.serve);
  c.serve_cmd->add_flag(
      "--settable-clock", c.serve.settable_clock,
      "for tests and demos: an admin may move the clock forward (PUT /api/v1/clock)");
  c.serve_cmd
      ->add_option("--evaluate-zones-every", c.serve.zone_evaluation_seconds,
                   "seconds between evaluations of the zone policy's lifting rules (0: only "
                   "on POST /api/v1/zones/evaluate)")
      ->capture_default_str();
  c.serve_cmd->add_flag("--strict-tubes", c.serve.strict_tubes,
                        "open a tube only with a barcode a tube batch issued to its site, "
                        "before the batch expires");
  c.serve_cmd
      ->add_option("--purge-gate-scans-every", c.serve.gate_purge_seconds,
                   "seconds between deletions of the gate scans older than the retention "
                   "period (0: never)")
      ->capture_default_str();
  AddLimitOptions(c.serve_cmd, c.serve);
}

/// migrate, user add, import residents, audit verify: the administrator's one-shot commands.
void AddAdministration(CLI::App& app, Commands& c) {
  c.migrate_cmd = app.add_subcommand("migrate", "Create or upgrade the database schema");
  AddDbOptions(c.migrate_cmd, c.db);

  auto* user_cmd = app.add_subcommand("user", "Manage users");
  user_cmd->require_subcommand(1);
  c.user_add_cmd = user_cmd->add_subcommand("add", "Add a user (the password is read from stdin)");
  AddDbOptions(c.user_add_cmd, c.db);
  c.user_add_cmd->add_option("name", c.user_add.username, "username")->required();
  c.user_add_cmd
      ->add_option("--role", c.user_add.role,
                   "admin, command, community, recorder, courier, lab, viewer or guard")
      ->required();
  c.user_add_cmd->add_option(
      "--scope", c.user_add.scope,
      "place path the user is limited to, e.g. 朝阳区/和平街街道/小黄庄社区");
  c.user_add_cmd
      ->add_flag("--password-stdin", c.user_add.password_stdin,
                 "read the password from standard input (required)")
      ->required();

  auto* import_cmd = app.add_subcommand("import", "Import data from files");
  import_cmd->require_subcommand(1);
  c.import_residents_cmd = import_cmd->add_subcommand(
      "residents",
      "Import a resident roster: CSV (UTF-8, or GB18030/GBK as Excel and WPS save it) or the "
      "first sheet of an .xlsx workbook. Header in English (id_number,name,phone,district,"
      "street,community,building,unit,room,tags) or Chinese (身份证号,姓名,电话,区,街道,社区,"
      "楼,单元,室,标签), any order; phone, building, unit, room and tags may be left out");
  AddDbOptions(c.import_residents_cmd, c.db);
  c.import_residents_cmd
      ->add_option("file", c.import_file, "roster file: .csv (UTF-8 or GB18030) or .xlsx")
      ->required()
      ->check(CLI::ExistingFile);

  auto* audit_cmd = app.add_subcommand("audit", "Inspect the audit log");
  audit_cmd->require_subcommand(1);
  c.audit_verify_cmd = audit_cmd->add_subcommand(
      "verify",
      "Walk the hash chain and report the first broken record; with --anchor, also check the "
      "chain still passes through each published anchor (a chain rewritten and recomputed "
      "since does not)");
  AddDbOptions(c.audit_verify_cmd, c.db);
  c.audit_verify_cmd
      ->add_option("--anchor", c.anchor_files,
                   "file of an anchor as `audit anchor` prints it, a JSON array of them, or "
                   "the answer of GET /api/v1/audit/anchors (repeatable)")
      ->check(CLI::ExistingFile);
  c.audit_anchor_cmd = audit_cmd->add_subcommand(
      "anchor",
      "Print the chain's head as JSON {date, seq, head_hash}, to publish outside the database: "
      "at the end of --date, or now");
  AddDbOptions(c.audit_anchor_cmd, c.db);
  c.audit_anchor_cmd->add_option("--date", c.anchor_date,
                                 "YYYY-MM-DD (UTC): the head at the end of that day");
}

/// backup, restore (cli/maintenance.cpp; README, Backups and the audit anchor).
void AddBackup(CLI::App& app, Commands& c) {
  c.backup_cmd = app.add_subcommand(
      "backup",
      "Copy the database while the server keeps serving: one consistent snapshot (SQLite's "
      "online backup API in steps inside one read transaction; the writer is not blocked), "
      "progress on stderr. The ID-number key file is NOT copied: back it up separately");
  AddDbOptions(c.backup_cmd, c.db);
  c.backup_cmd->add_option("--to", c.backup.to, "backup file to write (must not exist)")
      ->required();
  c.backup_cmd->add_option("--step-pages", c.backup.pages_per_step, "pages copied per step")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c.restore_cmd = app.add_subcommand(
      "restore",
      "Put a backup in place of the database: checks PRAGMA integrity_check, the schema version "
      "and the audit chain (and that the key opens its ID numbers) on a copy, then renames it "
      "into place. Stop the server first");
  AddDbOptions(c.restore_cmd, c.db);
  c.restore_cmd->add_option("--from", c.restore.from, "backup file to restore")->required();
  c.restore_cmd->add_flag("--force", c.restore.force, "replace an existing database");
}

void AddDemo(CLI::App& app, Commands& c) {
  c.demo_cmd = app.add_subcommand(
      "demo", "Build a demo city in a fresh database, print the logins, and serve it");
  c.demo_cmd
      ->add_option("--db", c.demo.db.db_path, "database file to create (replaced if it exists)")
      ->capture_default_str();
  c.demo_cmd->add_option("--listen", c.demo.serve.listen, "HOST:PORT to listen on")
      ->capture_default_str();
  c.demo_cmd->add_option("--web-dir", c.demo.serve.web_dir, "folder of the browser UI")
      ->capture_default_str();
  c.demo_cmd
      ->add_option("--communities", c.demo.communities, "communities of about 2,000 residents")
      ->capture_default_str();
  c.demo_cmd->add_flag("--no-serve", c.demo.no_serve, "build the city and exit");
  AddTimeZone(c.demo_cmd, c.demo.serve);
}

void AddBench(CLI::App& app, Commands& c) {
  bench::Options& b = c.bench;
  b.web_dir = SWABLINE_WEB_DIR;
  auto* cmd = c.bench_cmd = app.add_subcommand(
      "bench", "Benchmark a synthetic city through the real HTTP API (see docs/benchmarks.md)");
  cmd->add_option("--residents", b.residents, "residents in the synthetic city (default 100000)");
  cmd->add_option("--connections", b.connections, "keep-alive connections")->capture_default_str();
  cmd->add_option("--duration", b.duration, "seconds per load phase (default 5)");
  cmd->add_option("--rate", b.rate, "scans/s of the latency phase (default: half the scan rate)");
  cmd->add_flag("--quick", b.quick, "short phases: every figure in under two minutes");
  cmd->add_flag("--smoke", b.smoke, "a ~10 s correctness run; exits 1 on any error");
  cmd->add_flag("--crash-check", b.crash_check,
                "kill -9 a child server during scans and check no acknowledged scan is lost");
  cmd->add_option("--json", b.json_path, "also write the figures to this file");
  cmd->add_option("--dir", b.work_dir, "where to make the temporary database")
      ->capture_default_str();
  cmd->add_flag("--keep", b.keep, "keep the temporary database");
  cmd->add_option("--server-threads", b.server_threads, "server IO threads (0 = one per core)");
  cmd->add_option("--readers", b.readers, "server reader threads")->capture_default_str();
  cmd->add_option(
      "--only", b.only,
      "only these phases: healthz,scans,latency,overload,staff,code,lab,coverage,outbreak,"
      "lab-outbreak,gate,memory");
}

int Dispatch(const Commands& c) {
  if (c.serve_cmd->parsed()) return RunServe(c.db, c.serve);
  if (c.migrate_cmd->parsed()) return RunMigrate(c.db);
  if (c.user_add_cmd->parsed()) return RunUserAdd(c.db, c.user_add);
  if (c.import_residents_cmd->parsed()) return RunImportResidents(c.db, c.import_file);
  if (c.demo_cmd->parsed()) return RunDemo(c.demo);
  if (c.audit_verify_cmd->parsed()) return RunAuditVerify(c.db, c.anchor_files);
  if (c.audit_anchor_cmd->parsed()) return RunAuditAnchor(c.db, c.anchor_date);
  if (c.backup_cmd->parsed()) return RunBackup(c.db, c.backup);
  if (c.restore_cmd->parsed()) return RunRestore(c.db, c.restore);
  if (auto rc = DispatchKeys(c.db, c.keys)) return *rc;
  if (c.bench_cmd->parsed())
    return c.bench.crash_check ? bench::RunCrashCheck(c.bench) : bench::RunBench(c.bench);
  return 0;
}

/// Everything main does, so that main itself can catch whatever escapes.
int Run(int argc, char** argv) {
  CLI::App app{
      "Swabline: community mass screening and outbreak response (社区核酸筛查与疫情应急处置)"};
  app.set_version_flag("--version", SWABLINE_VERSION);
  app.require_subcommand(1);
  Commands commands;
  AddServe(app, commands);
  AddAdministration(app, commands);
  AddBackup(app, commands);
  AddKeys(app, commands.db, commands.keys, AddDbOptions);
  AddDemo(app, commands);
  AddBench(app, commands);
  CLI11_PARSE(app, argc, argv);
  return Dispatch(commands);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fputs("swabline: ", stderr);
    std::fputs(e.what(), stderr);
    std::fputs("\n", stderr);
  } catch (...) {
    std::fputs("swabline: unexpected failure\n", stderr);
  }
  return 1;
}
