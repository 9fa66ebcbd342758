#pragma once
/// `swabline keys ...`: rotation of the ID-number sealing key and the personal-code signing
/// key without downtime (docs/security.md, Key handling).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>

#include "service/runtime.hpp"

namespace swabline::cli {

struct KeysOptions {
  int batch = 200;         // reencrypt: residents per transaction
  unsigned pause_ms = 10;  // reencrypt: wait between transactions, for the server's writes
  std::optional<std::uint32_t> retire_id_key;
  std::optional<std::uint32_t> retire_code_key;
  bool force = false;

  CLI::App* list_cmd = nullptr;
  CLI::App* rotate_id_cmd = nullptr;
  CLI::App* rotate_code_cmd = nullptr;
  CLI::App* reencrypt_cmd = nullptr;
  CLI::App* retire_cmd = nullptr;
};

/// Adds `keys` and its subcommands to `app`; `add_db` adds --db and --key to each.
void AddKeys(CLI::App& app, service::DbOptions& db, KeysOptions& keys,
             void (*add_db)(CLI::App*, service::DbOptions&));
/// The exit code of the keys subcommand parsed, or nullopt when none was.
std::optional<int> DispatchKeys(const service::DbOptions& db, const KeysOptions& keys);

}  // namespace swabline::cli
