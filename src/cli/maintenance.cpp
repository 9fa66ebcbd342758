// audit anchor, audit verify (--anchor), backup, restore: the administrator's commands that
// keep the database trustworthy and recoverable (docs/security.md; README, Backups and the audit
// anchor).

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "store/audit.hpp"
#include "store/backup.hpp"
#include "store/vault.hpp"

namespace swabline::cli {
namespace {

namespace json = boost::json;

std::string KeyPathOf(const DbOptions& db) {
  return db.key_path.empty() ? db.db_path + ".key" : db.key_path;
}

std::string AnchorJson(const store::AuditAnchor& a) {
  return json::serialize(
      json::object{{"date", a.day}, {"seq", a.seq}, {"head_hash", store::ToHex(a.head_hash)}});
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string_view View(const json::string& s) { return {s.data(), s.size()}; }

store::AuditAnchor AnchorOf(const json::value& v, const std::string& file) {
  const json::object* o = v.if_object();
  const json::value* date = o ? o->if_contains("date") : nullptr;
  const json::value* seq = o ? o->if_contains("seq") : nullptr;
  const json::value* hash = o ? o->if_contains("head_hash") : nullptr;
  std::optional<std::string> bytes;
  if (hash && hash->is_string()) bytes = FromHex(View(hash->as_string()));
  if (!date || !date->is_string() || !seq || !seq->is_int64() || seq->as_int64() < 1 || !bytes ||
      bytes->size() != 32)
    throw std::runtime_error(file +
                             ": an anchor is {\"date\":\"YYYY-MM-DD\",\"seq\":N,"
                             "\"head_hash\":\"<64 hex digits>\"}");
  return {std::string(View(date->as_string())), seq->as_int64(), *bytes};
}

/// An anchor file: one anchor as `audit anchor` prints it, an array of them, or the answer
/// of GET /api/v1/audit/anchors.
std::vector<store::AuditAnchor> ReadAnchors(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read the anchor file " + file);
  std::stringstream text;
  text << in.rdbuf();
  const json::value v = json::parse(text.str());
  std::vector<store::AuditAnchor> out;
  const json::value* many = v.is_object() ? v.as_object().if_contains("anchors") : nullptr;
  if (many && many->is_array()) {
    for (const auto& a : many->as_array()) out.push_back(AnchorOf(a, file));
    if (const auto* head = v.as_object().if_contains("head"); head && !head->is_null())
      out.push_back(AnchorOf(*head, file));
  } else if (v.is_array()) {
    for (const auto& a : v.as_array()) out.push_back(AnchorOf(a, file));
  } else {
    out.push_back(AnchorOf(v, file));
  }
  return out;
}

/// A backup's progress on stderr: on a terminal one line kept up to date, elsewhere a line
/// every tenth.
class ProgressLine {
 public:
  void Tell(std::int64_t copied, std::int64_t total) {
    const int percent = total > 0 ? static_cast<int>(copied * 100 / total) : 100;
    if (tty_) {
      std::cerr << "\rbackup: " << percent << "% (" << copied << " of " << total << " pages)"
                << std::flush;
    } else if (percent / 10 != last_ / 10 || percent == 100) {
      std::cerr << "backup: " << percent << "% (" << copied << " of " << total << " pages)\n";
    }
    last_ = percent;
  }
  void Finish() {
    if (tty_) std::cerr << "\n";
  }

 private:
  bool tty_ = isatty(STDERR_FILENO) != 0;
  int last_ = -1;
};

/// Whether the key at `key_path` opens an ID number sealed in the database at `db`.
std::optional<std::string> KeyProblem(const std::string& key_path, const std::string& db) {
  const auto sealed = store::FirstSealedIdNumber(db);
  if (!sealed) return std::nullopt;
  const store::Vault vault = store::Vault::LoadOrCreate(key_path);
  if (!vault.Open(*sealed))
    return "the key " + key_path +
           " does not open the backup's ID numbers; give the key the backup was made under "
           "with --key";
  return std::nullopt;
}

}  // namespace

int RunAuditVerify(const DbOptions& db, const std::vector<std::string>& anchor_files) {
  std::vector<store::AuditAnchor> anchors;
  for (const auto& file : anchor_files) {
    auto more = ReadAnchors(file);
    anchors.insert(anchors.end(), more.begin(), more.end());
  }
  store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
  store::AuditVerdict v = store::VerifyAudit(conn, anchors);
  if (v.broken_seq) {
    std::cout << "audit chain BROKEN at record " << *v.broken_seq << ": " << v.reason << "\n";
    return 1;
  }
  std::cout << "audit chain intact: " << v.records << " records";
  if (!anchors.empty()) std::cout << ", passing through " << anchors.size() << " anchor(s)";
  std::cout << "\n";
  return 0;
}

int RunAuditAnchor(const DbOptions& db, const std::string& date) {
  store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
  const auto anchor = date.empty() ? store::AuditHead(conn) : store::AuditAnchorOf(conn, date);
  if (!anchor) {
    std::cerr << "swabline: "
              << (date.empty() ? "the audit log is empty"
                               : "no audit record was written by the end of " + date +
                                     " (UTC), or it is not a date YYYY-MM-DD")
              << "\n";
    return 2;
  }
  std::cout << AnchorJson(*anchor) << "\n";
  return 0;
}

int RunBackup(const DbOptions& db, const BackupOptions& o) {
  ProgressLine line;
  const auto started = std::chrono::steady_clock::now();
  const store::BackupReport r = store::BackupDatabase(
      db.db_path, o.to,
      [&line](std::int64_t copied, std::int64_t total) { line.Tell(copied, total); },
      o.pages_per_step);
  line.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "backup written to " << o.to << ": " << r.pages << " pages, " << r.bytes
            << " bytes, " << r.audit_records << " audit records, in " << seconds << " s\n"
            << "The ID-number key is NOT in the backup. It is " << KeyPathOf(db)
            << "; back it up separately and keep it apart from the database backups (without "
               "it the ID numbers in any backup cannot be read; with it and a backup, anyone "
               "can).\n";
  return 0;
}

int RunRestore(const DbOptions& db, const RestoreOptions& o) {
  if (!std::filesystem::exists(o.from)) {
    std::cerr << "swabline: no backup at " << o.from << "\n";
    return 2;
  }
  if (std::filesystem::exists(db.db_path) && !o.force) {
    std::cerr << "swabline: " << db.db_path
              << " exists; restore replaces it only with --force (stop the server first)\n";
    return 2;
  }
  const std::string key = KeyPathOf(db);
  const bool have_key = std::filesystem::exists(key);
  const store::RestoreCheck check = store::RestoreDatabase(
      o.from, db.db_path,
      [&](const std::string& copy, const store::RestoreCheck&) -> std::optional<std::string> {
        return have_key ? KeyProblem(key, copy) : std::nullopt;
      });
  if (check.problem) {
    std::cerr << "swabline: " << o.from << " was not restored: " << *check.problem << "\n";
    return 1;
  }
  std::cout << "restored " << o.from << " to " << db.db_path << ": integrity ok, schema version "
            << check.schema_version << ", audit chain intact (" << check.audit_records
            << " records), " << check.residents << " residents\n";
  if (!have_key)
    std::cout << "No key at " << key
              << ": the ID numbers stay sealed until the key the backup was made under is put "
                 "there (or given with --key).\n";
  else if (check.residents > 0)
    std::cout << "The key " << key << " opens its ID numbers.\n";
  return 0;
}

}  // namespace swabline::cli
