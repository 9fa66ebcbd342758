#pragma once
/// The subcommands. Each returns the process exit code.

#include <string>
#include <vector>

#include "http/rate_limit.hpp"
#include "service/runtime.hpp"

namespace swabline::cli {

using service::DbOptions;
using service::Runtime;

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  unsigned threads = 0;
  std::string web_dir = SWABLINE_WEB_DIR;
  bool quiet = false;
  /// Outbox delivery (cli/outbox.cpp): the log adapter unless a webhook URL is given.
  std::string webhook_url;
  std::string webhook_secret_file;
  unsigned outbox_poll_ms = 1000;
  unsigned outbox_retry_base_ms = 5000;
  bool settable_clock = false;            // PUT /clock exists (tests and demos)
  unsigned zone_evaluation_seconds = 60;  // 0: zones are evaluated only on request
  std::string tz = "Asia/Shanghai";       // the local time sites' hours are in
  bool strict_tubes = false;              // tubes open only with an issued barcode
  unsigned gate_purge_seconds = 3600;     // 0: gate scans are never purged
  int max_connections = 10000;
  http::RateLimits limits;
  unsigned queue_budget_ms = 100;  // 0: a request may wait for a database thread however long
  std::size_t max_queued = 4096;   // per queue (readers, writer); 0: no limit
  std::vector<std::string> trusted_proxies;  // CIDR ranges whose X-Forwarded-For is believed
};

struct UserAddOptions {
  std::string username;
  std::string role;
  std::string scope;
  bool password_stdin = false;
};

struct DemoOptions {
  DbOptions db{"swabline-demo.db", "", 4};
  ServeOptions serve;
  int communities = 6;
  bool no_serve = false;
};

int RunServe(const DbOptions& db, const ServeOptions& options);
int RunMigrate(const DbOptions& db);
int RunUserAdd(const DbOptions& db, const UserAddOptions& options);
int RunImportResidents(const DbOptions& db, const std::string& file);
int RunDemo(const DemoOptions& options);
struct BackupOptions {
  std::string to;
  int pages_per_step = 4096;
};

struct RestoreOptions {
  std::string from;
  bool force = false;
};

/// Walks the audit chain, and checks it passes through the anchors in `anchor_files`.
int RunAuditVerify(const DbOptions& db, const std::vector<std::string>& anchor_files);
/// Prints the chain's head at the end of `date` (YYYY-MM-DD, UTC), or now when it is empty.
int RunAuditAnchor(const DbOptions& db, const std::string& date);
/// An online copy of the database, without its key file (cli/maintenance.cpp).
int RunBackup(const DbOptions& db, const BackupOptions& options);
/// Checks a backup and puts it in place of the database.
int RunRestore(const DbOptions& db, const RestoreOptions& options);

}  // namespace swabline::cli
