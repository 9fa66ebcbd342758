// Personal codes as a gate's scanner reads them (service/personal_code.hpp,
// service/code_verifier.hpp): the cached verifier and the public-key check must agree.
#include "core/personal_code.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "service/clock.hpp"
#include "service/code_verifier.hpp"
#include "service/personal_code.hpp"
#include "store/vault.hpp"

namespace {

namespace service = swabline::service;

const swabline::store::Vault& TheVault() {
  static const auto vault = swabline::store::Vault::FromKey(std::array<unsigned char, 32>{7, 1, 9});
  return vault;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static service::CodeVerifier verifier(TheVault(), 64);
  static const service::SettableClock clock;
  const std::string_view code(reinterpret_cast<const char*>(data), size);
  (void)swabline::core::LooksLikePersonalCode(code);
  const service::Env env{TheVault(), clock};
  const auto key = service::PersonalCodePublicKey(env);
  const std::string_view key_bytes(reinterpret_cast<const char*>(key.data()), key.size());
  auto by_key = service::VerifyPersonalCodeWithPublicKey(key_bytes, code);
  auto cached = verifier.Verify(code);
  if (by_key.ok() != cached.ok()) std::abort();
  if (by_key && (by_key->resident_id != cached->resident_id || by_key->version != cached->version))
    std::abort();
  if (by_key) {
    // What verifies re-signs to a code that verifies to the same claim.
    auto resigned = service::VerifyPersonalCode(env, service::SignPersonalCode(env, *by_key));
    if (!resigned || resigned->resident_id != by_key->resident_id ||
        resigned->version != by_key->version)
      std::abort();
  }
  return 0;
}
