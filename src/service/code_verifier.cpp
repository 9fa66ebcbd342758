#include "service/code_verifier.hpp"

#include "service/personal_code.hpp"

namespace swabline::service {

CodeVerifier::CodeVerifier(const store::Vault& vault, std::size_t capacity)
    : public_key_(PersonalCodePublicKey(Env{vault, SystemClock()})), capacity_(capacity) {}

core::Result<CodeClaim> CodeVerifier::Verify(std::string_view code) {
  const std::string key(code);
  {
    std::lock_guard lock(mu_);
    if (auto it = verified_.find(key); it != verified_.end())
      return CodeClaim{it->second.first, it->second.second};
  }
  auto claim = VerifyPersonalCodeWithPublicKey(
      std::string_view(reinterpret_cast<const char*>(public_key_.data()), public_key_.size()),
      code);
  if (!claim) return claim;
  std::lock_guard lock(mu_);
  // A crude bound: past it, start again; a miss only costs one signature check.
  if (verified_.size() >= capacity_) verified_.clear();
  verified_.emplace(key, std::make_pair(claim->resident_id, claim->version));
  return claim;
}

}  // namespace swabline::service
