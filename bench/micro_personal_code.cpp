// Personal-code verification: every look-up by code (GET /status?code=, a scan by code) checks
// an Ed25519 signature before it touches the database.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "service/code_verifier.hpp"
#include "service/env.hpp"
#include "service/personal_code.hpp"
#include "store/vault.hpp"

namespace {

using swabline::service::CodeClaim;

class FixedClock : public swabline::core::Clock {
 public:
  swabline::core::Micros Now() const override { return 1'669'680'000'000'000; }
};

struct Keys {
  swabline::store::Vault vault = swabline::store::Vault::FromKey({1, 2, 3, 4, 5, 6, 7, 8});
  FixedClock clock;
  swabline::service::Env env{vault, clock, nullptr};
};

Keys& TheKeys() {
  static Keys keys;
  return keys;
}

void BM_Sign(benchmark::State& state) {
  auto& k = TheKeys();
  std::int64_t id = 1;
  for (auto _ : state) {
    auto code = swabline::service::SignPersonalCode(k.env, CodeClaim{id++, 1});
    benchmark::DoNotOptimize(code);
  }
}
BENCHMARK(BM_Sign);

void BM_VerifyValid(benchmark::State& state) {
  auto& k = TheKeys();
  std::vector<std::string> codes;
  for (std::int64_t id = 1; id <= 64; ++id)
    codes.push_back(swabline::service::SignPersonalCode(k.env, CodeClaim{id, 1}));
  std::size_t i = 0;
  for (auto _ : state) {
    auto claim = swabline::service::VerifyPersonalCode(k.env, codes[i++ & 63]);
    if (!claim) state.SkipWithError("a valid code did not verify");
    benchmark::DoNotOptimize(claim);
  }
}
BENCHMARK(BM_VerifyValid);

/// The signature check alone, with the public key derived once: what VerifyPersonalCode would
/// cost if the key were cached (it is derived from the vault on every call).
void BM_VerifyWithCachedKey(benchmark::State& state) {
  auto& k = TheKeys();
  const auto key = swabline::service::PersonalCodePublicKey(k.env);
  const std::string_view key_bytes(reinterpret_cast<const char*>(key.data()), key.size());
  std::vector<std::string> codes;
  for (std::int64_t id = 1; id <= 64; ++id)
    codes.push_back(swabline::service::SignPersonalCode(k.env, CodeClaim{id, 1}));
  std::size_t i = 0;
  for (auto _ : state) {
    auto claim = swabline::service::VerifyPersonalCodeWithPublicKey(key_bytes, codes[i++ & 63]);
    if (!claim) state.SkipWithError("a valid code did not verify");
    benchmark::DoNotOptimize(claim);
  }
}
BENCHMARK(BM_VerifyWithCachedKey);

/// Deriving the signing key pair from the vault (a BLAKE2b and a base-point multiplication).
void BM_DerivePublicKey(benchmark::State& state) {
  auto& k = TheKeys();
  for (auto _ : state) {
    auto key = swabline::service::PersonalCodePublicKey(k.env);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_DerivePublicKey);

/// What a serving process pays for a code it has seen before: service::CodeVerifier keeps
/// the public key and the codes that verified.
void BM_VerifyThroughCachingVerifier(benchmark::State& state) {
  auto& k = TheKeys();
  swabline::service::CodeVerifier verifier(k.vault);
  std::vector<std::string> codes;
  for (std::int64_t id = 1; id <= 64; ++id)
    codes.push_back(swabline::service::SignPersonalCode(k.env, CodeClaim{id, 1}));
  std::size_t i = 0;
  for (auto _ : state) {
    auto claim = verifier.Verify(codes[i++ & 63]);
    if (!claim) state.SkipWithError("a valid code did not verify");
    benchmark::DoNotOptimize(claim);
  }
}
BENCHMARK(BM_VerifyThroughCachingVerifier);

void BM_VerifyTampered(benchmark::State& state) {
  auto& k = TheKeys();
  std::string code = swabline::service::SignPersonalCode(k.env, CodeClaim{42, 1});
  code[code.size() / 2] = code[code.size() / 2] == 'A' ? 'B' : 'A';
  for (auto _ : state) {
    auto claim = swabline::service::VerifyPersonalCode(k.env, code);
    if (claim) state.SkipWithError("a tampered code verified");
    benchmark::DoNotOptimize(claim);
  }
}
BENCHMARK(BM_VerifyTampered);

}  // namespace

BENCHMARK_MAIN();
