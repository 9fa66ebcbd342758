#include "service/personal_code.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/personal_code.hpp"
#include "service/code_verifier.hpp"
#include "store/audit.hpp"
#include "store/residents.hpp"
#include "store/vault.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::string_view kSeedPurpose = "swabline.personal-code.v1";
constexpr unsigned char kFormat = 1;
constexpr std::size_t kMaxVarintBytes = 10;  // 64 bits, 7 per byte
constexpr std::size_t kMinPayloadBytes = 1 + 1 + 1;
constexpr std::size_t kMaxPayloadBytes = 1 + 2 * kMaxVarintBytes;
constexpr std::size_t kMaxRawBytes = kMaxPayloadBytes + crypto_sign_BYTES;
static_assert(crypto_sign_PUBLICKEYBYTES == 32);

using PublicKey = std::array<unsigned char, crypto_sign_PUBLICKEYBYTES>;

struct KeyPair {
  PublicKey public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};

  KeyPair() = default;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair() { sodium_memzero(secret_key.data(), secret_key.size()); }
};

// Derived per call: a BLAKE2b and one base-point multiplication, a few tens of microseconds
// (see the benchmark in personal_code_test.cpp), which keeps the vault the only key holder.
void DeriveKeyPair(const Env& env, KeyPair& keys) {
  auto seed = env.vault.DeriveKey(kSeedPurpose);
  crypto_sign_seed_keypair(keys.public_key.data(), keys.secret_key.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
}

void AppendVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

/// Reads one canonical LEB128 varint that fits an int64; nullopt for anything else.
std::optional<std::int64_t> ReadVarint(std::string_view& in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < in.size() && i < kMaxVarintBytes; ++i) {
    const auto byte = static_cast<unsigned char>(in[i]);
    const std::uint64_t bits = byte & 0x7fu;
    if (i == kMaxVarintBytes - 1 && bits > 1) return std::nullopt;  // beyond 64 bits
    value |= bits << (7 * i);
    if ((byte & 0x80) == 0) {
      if (i > 0 && byte == 0) return std::nullopt;  // overlong: one claim, one token
      if (value > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
      in.remove_prefix(i + 1);
      return static_cast<std::int64_t>(value);
    }
  }
  return std::nullopt;
}

core::Error Invalid(std::string detail) {
  return core::Fail(ErrorCode::kInvalidPersonalCode, std::move(detail));
}

core::Result<CodeClaim> VerifyWith(const PublicKey& public_key, std::string_view code) {
  if (!core::LooksLikePersonalCode(code))
    return Invalid("a personal code starts with '" + std::string(core::kPersonalCodePrefix) + "'");
  code.remove_prefix(core::kPersonalCodePrefix.size());
  const std::size_t max_text =
      sodium_base64_ENCODED_LEN(kMaxRawBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
  if (code.size() > max_text) return Invalid("this personal code is too long to be genuine");
  std::array<unsigned char, kMaxRawBytes> raw{};
  std::size_t raw_size = 0;
  if (sodium_base642bin(raw.data(), raw.size(), code.data(), code.size(), nullptr, &raw_size,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return Invalid("this personal code is damaged: it is not base64url text");
  if (raw_size < kMinPayloadBytes + crypto_sign_BYTES)
    return Invalid("this personal code is damaged: it is too short");
  const std::size_t payload_size = raw_size - crypto_sign_BYTES;
  if (raw[0] != kFormat)
    return Invalid("this personal code has an unknown format (" + std::to_string(raw[0]) + ")");
  if (crypto_sign_verify_detached(raw.data() + payload_size, raw.data(), payload_size,
                                  public_key.data()) != 0)
    return Invalid(
        "this personal code's signature does not match: it was altered, or issued by another "
        "registry");
  // Signed, so issued by us; the checks below guard against a future signer's bug.
  std::string_view fields(reinterpret_cast<const char*>(raw.data()) + 1, payload_size - 1);
  auto id = ReadVarint(fields);
  auto version = id ? ReadVarint(fields) : std::nullopt;
  if (!version || !fields.empty()) return Invalid("this personal code is malformed");
  return CodeClaim{*id, *version};
}

}  // namespace

std::string SignPersonalCode(const Env& env, const CodeClaim& claim) {
  std::string raw;
  raw.reserve(kMaxRawBytes);
  raw.push_back(static_cast<char>(kFormat));
  AppendVarint(raw, static_cast<std::uint64_t>(claim.resident_id));
  AppendVarint(raw, static_cast<std::uint64_t>(claim.version));
  const std::size_t payload_size = raw.size();
  raw.resize(payload_size + crypto_sign_BYTES);
  auto* bytes = reinterpret_cast<unsigned char*>(raw.data());
  KeyPair keys;
  DeriveKeyPair(env, keys);
  crypto_sign_detached(bytes + payload_size, nullptr, bytes, payload_size, keys.secret_key.data());

  std::string text(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.size() - 1);  // the encoded length counts the terminating NUL
  return std::string(core::kPersonalCodePrefix) + text;
}

std::array<unsigned char, 32> PersonalCodePublicKey(const Env& env) {
  KeyPair keys;
  DeriveKeyPair(env, keys);
  return keys.public_key;
}

std::string PersonalCodePublicKeyHex(const Env& env) {
  const auto key = PersonalCodePublicKey(env);
  return store::ToHex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

core::Result<CodeClaim> VerifyPersonalCodeWithPublicKey(std::string_view public_key_bytes,
                                                        std::string_view code) {
  PublicKey key{};
  if (public_key_bytes.size() != key.size())
    return core::Fail(ErrorCode::kInternal, "an Ed25519 public key is 32 bytes, not " +
                                                std::to_string(public_key_bytes.size()));
  std::copy(public_key_bytes.begin(), public_key_bytes.end(), key.begin());
  return VerifyWith(key, code);
}

core::Result<CodeClaim> VerifyPersonalCode(const Env& env, std::string_view code) {
  if (env.codes) return env.codes->Verify(code);
  return VerifyWith(PersonalCodePublicKey(env), code);
}

core::Result<std::int64_t> ResolvePersonalCode(store::Connection& db, const Env& env,
                                               std::string_view code) {
  CodeClaim claim;
  SWB_TRY_ASSIGN(claim, VerifyPersonalCode(env, code));
  auto r = store::FindResident(db, claim.resident_id);
  if (!r) return Invalid("this code names nobody registered");
  if (r->code_version != claim.version) return Invalid("this code was replaced by a newer one");
  return claim.resident_id;
}

core::Result<std::string> GetPersonalCode(store::Connection& db, const Env& env, const Actor& actor,
                                          std::int64_t resident_id) {
  SWB_TRY(Require(actor, core::Permission::kReadResidents));
  auto r = store::FindResident(db, resident_id);
  if (!r)
    return core::Fail(ErrorCode::kUnknownResident,
                      "no resident with id " + std::to_string(resident_id));
  SWB_TRY(RequireInScope(actor, r->place_id_path));
  return SignPersonalCode(env, {r->id, r->code_version});
}

core::Result<std::string> ReissuePersonalCode(store::Tx& tx, const Env& env, const Actor& actor,
                                              std::int64_t resident_id) {
  SWB_TRY(Require(actor, core::Permission::kWriteRegistry));
  auto r = store::FindResident(tx.db(), resident_id);
  if (!r)
    return core::Fail(ErrorCode::kUnknownResident,
                      "no resident with id " + std::to_string(resident_id));
  SWB_TRY(RequireInScope(actor, r->place_id_path));
  const core::Micros now = env.clock.Now();
  const std::int64_t version = store::BumpCodeVersion(tx, resident_id, now);
  store::AppendAudit(tx, now,
                     {actor.username, "resident.code_reissue", "resident",
                      std::to_string(resident_id), "code version " + std::to_string(version)});
  return SignPersonalCode(env, {resident_id, version});
}

}  // namespace swabline::service
