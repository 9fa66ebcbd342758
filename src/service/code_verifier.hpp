#pragma once
/// Verifies personal codes for a serving process: the public key derived once, and codes that
/// verified remembered, so a gate scanning the same residents all day pays for the Ed25519
/// check once per code. A cached claim still meets the registry's code version on every
/// look-up (ResolvePersonalCode), so a reissued code stops working at once.

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "store/vault.hpp"

namespace swabline::service {

struct CodeClaim;

/// Thread-safe. Wired in main and handed to use cases through Env.
class CodeVerifier {
 public:
  explicit CodeVerifier(const store::Vault& vault, std::size_t capacity = 1'000'000);

  core::Result<CodeClaim> Verify(std::string_view code);
  const std::array<unsigned char, 32>& public_key() const { return public_key_; }

 private:
  std::array<unsigned char, 32> public_key_{};
  std::size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> verified_;
};

}  // namespace swabline::service
