#pragma once
/// Verifies personal codes for a serving process: the public keys derived once per key-file
/// load, and codes that verified remembered, so a gate scanning the same residents all day
/// pays for the Ed25519 check once per code. A cached claim still meets the registry's code
/// version on every look-up (ResolvePersonalCode), so a reissued code stops working at once;
/// when the vault re-reads its key file (a key rotated or retired) the cache starts afresh, so
/// a retired key's codes stop working at once too.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "service/personal_code.hpp"
#include "store/vault.hpp"

namespace swabline::service {

/// Thread-safe. Wired in main and handed to use cases through Env.
class CodeVerifier {
 public:
  explicit CodeVerifier(const store::Vault& vault, std::size_t capacity = 1'000'000);

  core::Result<CodeClaim> Verify(std::string_view code);

 private:
  /// Drops what the previous key file's keys gave. Called with mu_ held.
  void FollowKeyFile();
  std::optional<std::array<unsigned char, 32>> KeyOf(std::uint32_t kid);

  const store::Vault& vault_;
  std::size_t capacity_;
  std::mutex mu_;
  std::uint64_t generation_ = 0;
  std::map<std::uint32_t, std::array<unsigned char, 32>> keys_;
  std::unordered_map<std::string, CodeClaim> verified_;
};

}  // namespace swabline::service
