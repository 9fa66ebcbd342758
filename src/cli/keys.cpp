#include "cli/keys.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "service/key_rotation.hpp"
#include "service/personal_code.hpp"
#include "store/audit.hpp"
#include "store/connection.hpp"
#include "store/key_ring.hpp"

namespace swabline::cli {
namespace {

using store::KeyKind;

std::string KeyPath(const service::DbOptions& db) {
  return db.key_path.empty() ? db.db_path + ".key" : db.key_path;
}

/// The instant after which no code of a key superseded at `unix_seconds` was handed out:
/// the key file keeps whole seconds, and servers take a second to re-read it, so two more.
core::Micros CodesEndedBy(std::int64_t unix_seconds) { return (unix_seconds + 2) * 1'000'000; }

std::int64_t NowUnix() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string When(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return "before rotation existed";
  return core::FormatRfc3339(unix_seconds * 1'000'000);
}

/// One audit record of what was done to the keys (never the keys themselves).
void AuditKeys(service::Runtime& rt, const std::string& action, const std::string& detail) {
  rt.writer().RunSync([&](store::Tx& tx) {
    store::AppendAudit(tx, rt.env().clock.Now(), {"system", action, "key", "", detail});
    return 0;
  });
}

const char* kPickUp =
    "running servers take it up within a second (or at once on SIGHUP); copy the key file to "
    "every other server that shares it";

int Rotate(const service::DbOptions& db, KeyKind kind) {
  const std::string path = KeyPath(db);
  store::KeyRing ring = store::ReadKeyFile(path);
  const std::uint32_t kid = store::AddKey(ring, kind, NowUnix());
  store::WriteKeyFile(path, ring);
  service::Runtime rt(db);
  AuditKeys(rt, kind == KeyKind::kIdNumber ? "keys.rotate_id_key" : "keys.rotate_code_key",
            std::string(store::KeyKindName(kind)) + " key " + std::to_string(kid) + " added");
  std::cout << "added " << store::KeyKindName(kind) << " key " << kid << " to " << path << "; new "
            << (kind == KeyKind::kIdNumber ? "ID numbers are sealed" : "codes are signed")
            << " with it.\n"
            << kPickUp << ".\n";
  if (kind == KeyKind::kIdNumber)
    std::cout << "next: swabline keys reencrypt, then swabline keys retire --id-key <old kid>\n";
  else
    std::cout << "older codes verify until their key is retired (codes do not expire): hand out "
                 "new codes (sheets now print under key "
              << kid << "), then swabline keys retire --code-key <old kid>\n";
  return 0;
}

int List(const service::DbOptions& db) {
  const std::string path = KeyPath(db);
  const store::KeyRing ring = store::ReadKeyFile(path);
  const store::Vault vault = store::Vault::FromRing(ring);
  std::optional<store::Connection> conn;
  if (std::filesystem::exists(db.db_path)) conn.emplace(db.db_path, store::OpenMode::kReadOnly);
  std::cout << "key file " << path << " (the ID-number look-up digest key does not rotate)\n";
  std::optional<service::SealedCensus> census;
  if (conn) census = service::CountSealedIdNumbers(*conn, vault);
  for (const store::RingKey& k : ring.id_keys) {
    std::cout << "id-key   " << k.kid << "  created " << When(k.created_unix)
              << (k.kid == ring.id_keys.back().kid ? "  newest" : "");
    if (census) std::cout << "  seals " << census->by_kid[k.kid] << " ID numbers";
    std::cout << "\n";
  }
  if (census && census->unreadable > 0)
    std::cout << "WARNING: " << census->unreadable
              << " ID numbers are sealed under a key this file does not hold\n";
  for (const store::RingKey& k : ring.code_keys) {
    auto pub = service::PersonalCodePublicKeyOf(vault, k.kid);
    std::cout << "code-key " << k.kid << "  created " << When(k.created_unix) << "  public "
              << store::ToHex({reinterpret_cast<const char*>(pub->data()), 32});
    if (auto superseded = ring.SupersededAt(KeyKind::kPersonalCode, k.kid)) {
      if (conn)
        std::cout << "  " << service::CodeHoldersBefore(*conn, CodesEndedBy(*superseded))
                  << " residents may hold its codes";
    } else {
      std::cout << "  newest";
    }
    std::cout << "\n";
  }
  return 0;
}

int Reencrypt(const service::DbOptions& db, const KeysOptions& o) {
  service::Runtime rt(db);
  const service::Env env = rt.env();
  const std::uint32_t newest = env.vault.NewestKid(KeyKind::kIdNumber);
  std::int64_t total = 0;
  {
    store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
    auto q = conn.Query("SELECT COUNT(*) FROM residents");
    q->Next();
    total = q->Int(0);
  }
  const bool tty = isatty(STDERR_FILENO) != 0;
  service::ReencryptStep sum;
  for (bool done = false; !done;) {
    const auto step = rt.writer().RunSync([&](store::Tx& tx) {
      return service::ReencryptBatch(tx, env.vault, sum.last_id, o.batch);
    });
    sum.last_id = step.last_id;
    sum.scanned += step.scanned;
    sum.resealed += step.resealed;
    sum.unreadable += step.unreadable;
    done = step.done;
    if (tty || done || sum.scanned % 100'000 < o.batch)
      std::cerr << (tty ? "\r" : "") << "re-sealing under ID-number key " << newest << ": "
                << sum.scanned << " of " << total << " residents looked at, " << sum.resealed
                << " re-sealed" << (tty && !done ? "" : "\n") << std::flush;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(o.pause_ms));
  }
  AuditKeys(
      rt, "keys.reencrypt",
      std::to_string(sum.resealed) + " ID numbers re-sealed under key " + std::to_string(newest));
  store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
  auto census = service::CountSealedIdNumbers(conn, env.vault);
  for (const auto& [kid, count] : census.by_kid)
    if (kid != newest) std::cout << count << " ID numbers still under key " << kid << "\n";
  if (census.unreadable > 0) {
    std::cout << census.unreadable << " ID numbers are sealed under a key this file lacks\n";
    return 3;
  }
  std::cout << "done: " << census.by_kid[newest] << " ID numbers under key " << newest << "\n";
  return census.by_kid.size() > 1 ? 4 : 0;  // more written meanwhile under an old key: rerun
}

int RetireIdKey(const service::DbOptions& db, std::uint32_t kid) {
  const std::string path = KeyPath(db);
  store::KeyRing ring = store::ReadKeyFile(path);
  const store::Vault vault = store::Vault::FromRing(ring);
  std::int64_t sealed = 0;
  {
    store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
    sealed = service::CountSealedIdNumbers(conn, vault).by_kid[kid];
  }
  if (sealed > 0) {
    // No --force here: retiring it would lose these ID numbers for good.
    std::cerr << "swabline: ID-number key " << kid << " still seals " << sealed
              << " ID numbers; run swabline keys reencrypt first\n";
    return 2;
  }
  store::RemoveKey(ring, KeyKind::kIdNumber, kid);
  store::WriteKeyFile(path, ring);
  service::Runtime rt(db);
  AuditKeys(rt, "keys.retire_id_key", "ID-number key " + std::to_string(kid) + " retired");
  std::cout << "retired ID-number key " << kid << "; " << kPickUp << ".\n";
  return 0;
}

int RetireCodeKey(const service::DbOptions& db, std::uint32_t kid, bool force) {
  const std::string path = KeyPath(db);
  store::KeyRing ring = store::ReadKeyFile(path);
  const auto superseded = ring.SupersededAt(KeyKind::kPersonalCode, kid);
  if (superseded && ring.Find(KeyKind::kPersonalCode, kid) != nullptr) {
    store::Connection conn(db.db_path, store::OpenMode::kReadOnly);
    const std::int64_t holders = service::CodeHoldersBefore(conn, CodesEndedBy(*superseded));
    if (holders > 0 && !force) {
      std::cerr << "swabline: " << holders << " residents may still hold a personal code signed "
                << "with key " << kid << " (codes do not expire); retiring it ends those codes. "
                << "Hand out new codes first, then retire with --force\n";
      return 2;
    }
  }
  store::RemoveKey(ring, KeyKind::kPersonalCode, kid);
  store::WriteKeyFile(path, ring);
  service::Runtime rt(db);
  AuditKeys(rt, "keys.retire_code_key",
            "personal-code key " + std::to_string(kid) + " retired" + (force ? " (forced)" : ""));
  std::cout << "retired personal-code key " << kid << ": codes it signed are refused; " << kPickUp
            << ".\n";
  return 0;
}

}  // namespace

void AddKeys(CLI::App& app, service::DbOptions& db, KeysOptions& keys,
             void (*add_db)(CLI::App*, service::DbOptions&)) {
  auto* cmd = app.add_subcommand(
      "keys",
      "Rotate the ID-number sealing key and the personal-code signing key, without "
      "stopping the server (docs/security.md, Key handling)");
  cmd->require_subcommand(1);
  keys.list_cmd = cmd->add_subcommand(
      "list",
      "List the keys in the key file (never the keys themselves), what each seals, and "
      "how many residents may hold codes of each old code key");
  keys.rotate_id_cmd =
      cmd->add_subcommand("rotate-id-key",
                          "Add a new ID-number sealing key; new ID numbers are sealed with it, the "
                          "old keys stay to open what they sealed");
  keys.rotate_code_cmd =
      cmd->add_subcommand("rotate-code-key",
                          "Add a new personal-code signing key; new codes are signed with it, "
                          "codes of the old keys keep verifying until those are retired");
  keys.reencrypt_cmd = cmd->add_subcommand(
      "reencrypt",
      "Re-seal every ID number under the newest key, in small transactions beside "
      "a running server; safe to stop and run again");
  keys.reencrypt_cmd->add_option("--batch", keys.batch, "residents per transaction")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  keys.reencrypt_cmd->add_option("--pause-ms", keys.pause_ms, "wait between transactions")
      ->capture_default_str();
  keys.retire_cmd = cmd->add_subcommand(
      "retire",
      "Remove an old key from the key file: an ID-number key once nothing is sealed "
      "under it; a code key ends every code it signed");
  auto* id = keys.retire_cmd->add_option("--id-key", keys.retire_id_key,
                                         "kid of the ID-number key (refused while it seals any)");
  auto* code = keys.retire_cmd->add_option("--code-key", keys.retire_code_key,
                                           "kid of the personal-code key");
  id->excludes(code);
  keys.retire_cmd->add_flag("--force", keys.force,
                            "retire a code key although residents may still hold its codes");
  for (CLI::App* sub : {keys.list_cmd, keys.rotate_id_cmd, keys.rotate_code_cmd, keys.reencrypt_cmd,
                        keys.retire_cmd})
    add_db(sub, db);
}

std::optional<int> DispatchKeys(const service::DbOptions& db, const KeysOptions& keys) {
  if (keys.list_cmd->parsed()) return List(db);
  if (keys.rotate_id_cmd->parsed()) return Rotate(db, KeyKind::kIdNumber);
  if (keys.rotate_code_cmd->parsed()) return Rotate(db, KeyKind::kPersonalCode);
  if (keys.reencrypt_cmd->parsed()) return Reencrypt(db, keys);
  if (keys.retire_cmd->parsed()) {
    if (keys.retire_id_key) return RetireIdKey(db, *keys.retire_id_key);
    if (keys.retire_code_key) return RetireCodeKey(db, *keys.retire_code_key, keys.force);
    std::cerr << "swabline: keys retire wants --id-key KID or --code-key KID\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace swabline::cli
