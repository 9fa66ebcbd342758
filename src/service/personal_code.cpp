#include "service/personal_code.hpp"

#include <sodium.h>

#include <array>

#include "core/personal_code.hpp"
#include "store/residents.hpp"

namespace swabline::service {
namespace {

constexpr unsigned char kPayloadVersion = 1;
constexpr std::size_t kPayloadBytes = 1 + 8 + 4;

struct KeyPair {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
};

KeyPair KeysOf(const Env& env) {
  KeyPair k;
  auto seed = env.vault.DeriveKey("swabline.personal-code.v1");
  crypto_sign_seed_keypair(k.pk.data(), k.sk.data(), seed.data());
  return k;
}

}  // namespace

std::string SignPersonalCode(const Env& env, const CodeClaim& claim) {
  std::array<unsigned char, kPayloadBytes + crypto_sign_BYTES> raw{};
  raw[0] = kPayloadVersion;
  for (int i = 0; i < 8; ++i)
    raw[1 + static_cast<std::size_t>(i)] = static_cast<unsigned char>(static_cast<std::uint64_t>(claim.resident_id) >> (8 * i));
  for (int i = 0; i < 4; ++i)
    raw[9 + static_cast<std::size_t>(i)] = static_cast<unsigned char>(static_cast<std::uint64_t>(claim.version) >> (8 * i));
  const KeyPair k = KeysOf(env);
  crypto_sign_detached(raw.data() + kPayloadBytes, nullptr, raw.data(), kPayloadBytes, k.sk.data());
  std::string b64(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(b64.data(), b64.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(std::char_traits<char>::length(b64.c_str()));
  return std::string(core::kPersonalCodePrefix) + b64;
}

core::Result<CodeClaim> VerifyPersonalCode(const Env& env, std::string_view code) {
  auto bad = core::Fail(core::ErrorCode::kInvalidPersonalCode, "this personal code is not valid");
  if (!core::LooksLikePersonalCode(code)) return bad;
  code.remove_prefix(core::kPersonalCodePrefix.size());
  std::array<unsigned char, kPayloadBytes + crypto_sign_BYTES> raw{};
  std::size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), code.data(), code.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != raw.size() || raw[0] != kPayloadVersion)
    return bad;
  const KeyPair k = KeysOf(env);
  if (crypto_sign_verify_detached(raw.data() + kPayloadBytes, raw.data(), kPayloadBytes, k.pk.data()) != 0)
    return bad;
  CodeClaim c;
  std::uint64_t id = 0, version = 0;
  for (int i = 7; i >= 0; --i) id = (id << 8) | raw[1 + static_cast<std::size_t>(i)];
  for (int i = 3; i >= 0; --i) version = (version << 8) | raw[9 + static_cast<std::size_t>(i)];
  c.resident_id = static_cast<std::int64_t>(id);
  c.version = static_cast<std::int64_t>(version);
  return c;
}

core::Result<std::int64_t> ResolvePersonalCode(store::Connection& db, const Env& env,
                                               std::string_view code) {
  CodeClaim claim;
  SWB_TRY_ASSIGN(claim, VerifyPersonalCode(env, code));
  auto r = store::FindResident(db, claim.resident_id);
  if (!r) return core::Fail(core::ErrorCode::kInvalidPersonalCode, "this code names nobody registered");
  if (r->code_version != claim.version)
    return core::Fail(core::ErrorCode::kInvalidPersonalCode, "this code was replaced by a newer one");
  return claim.resident_id;
}

}  // namespace swabline::service
