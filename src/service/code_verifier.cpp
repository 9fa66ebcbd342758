#include "service/code_verifier.hpp"

#include "service/personal_code.hpp"

namespace swabline::service {

CodeVerifier::CodeVerifier(const store::Vault& vault, std::size_t capacity)
    : vault_(vault), capacity_(capacity), generation_(vault.generation()) {}

void CodeVerifier::FollowKeyFile() {
  const std::uint64_t generation = vault_.generation();
  if (generation == generation_) return;
  generation_ = generation;
  keys_.clear();
  verified_.clear();
}

std::optional<std::array<unsigned char, 32>> CodeVerifier::KeyOf(std::uint32_t kid) {
  {
    std::lock_guard lock(mu_);
    if (auto it = keys_.find(kid); it != keys_.end()) return it->second;
  }
  // Unknown here: the vault derives it, re-reading its key file (rate-limited) for a new kid.
  auto key = PersonalCodePublicKeyOf(vault_, kid);
  if (!key) return std::nullopt;
  std::lock_guard lock(mu_);
  FollowKeyFile();
  keys_.emplace(kid, *key);
  return key;
}

core::Result<CodeClaim> CodeVerifier::Verify(std::string_view code) {
  const std::string key(code);
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    FollowKeyFile();
    generation = generation_;
    if (auto it = verified_.find(key); it != verified_.end()) return it->second;
  }
  auto claim = VerifyPersonalCodeWith([this](std::uint32_t kid) { return KeyOf(kid); }, code);
  if (!claim) return claim;
  std::lock_guard lock(mu_);
  FollowKeyFile();
  if (generation != generation_) return claim;  // verified under keys since replaced
  // A crude bound: past it, start again; a miss only costs one signature check.
  if (verified_.size() >= capacity_) verified_.clear();
  verified_.emplace(key, *claim);
  return claim;
}

}  // namespace swabline::service
