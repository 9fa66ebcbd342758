#include "service/personal_code.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "core/personal_code.hpp"
#include "service/code_verifier.hpp"
#include "store/audit.hpp"
#include "store/residents.hpp"
#include "store/vault.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::string_view kSeedPurpose = "swabline.personal-code.v1";
constexpr unsigned char kFormat = 1;         // signed by code key 0: no kid in the payload
constexpr unsigned char kFormatWithKid = 2;  // the kid follows the format byte
constexpr std::size_t kMaxVarintBytes = 10;  // 64 bits, 7 per byte
constexpr std::size_t kMinPayloadBytes = 1 + 1 + 1;
constexpr std::size_t kMaxPayloadBytes = 1 + 3 * kMaxVarintBytes;
constexpr std::size_t kMaxRawBytes = kMaxPayloadBytes + crypto_sign_BYTES;
static_assert(crypto_sign_PUBLICKEYBYTES == 32);

struct KeyPair {
  CodePublicKey public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};

  KeyPair() = default;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair() { sodium_memzero(secret_key.data(), secret_key.size()); }
};

// Derived per call: a BLAKE2b and one base-point multiplication, a few tens of microseconds
// (see the benchmark in personal_code_test.cpp), which keeps the vault the only key holder.
bool DeriveKeyPair(const store::Vault& vault, std::uint32_t kid, KeyPair& keys) {
  auto seed = vault.DeriveFrom(store::KeyKind::kPersonalCode, kid, kSeedPurpose);
  if (!seed) return false;
  crypto_sign_seed_keypair(keys.public_key.data(), keys.secret_key.data(), seed->data());
  sodium_memzero(seed->data(), seed->size());
  return true;
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

/// A code taken apart: the payload it signs, its signature and the kid it names.
struct DecodedCode {
  std::array<unsigned char, kMaxRawBytes> raw{};
  std::size_t payload_size = 0;
  std::uint32_t kid = 0;
  std::string_view fields;  // the payload after the format byte and the kid
};

core::Status Decode(std::string_view code, DecodedCode& out) {
  if (!core::LooksLikePersonalCode(code))
    return Invalid("a personal code starts with '" + std::string(core::kPersonalCodePrefix) + "'");
  code.remove_prefix(core::kPersonalCodePrefix.size());
  const std::size_t max_text =
      sodium_base64_ENCODED_LEN(kMaxRawBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
  if (code.size() > max_text) return Invalid("this personal code is too long to be genuine");
  std::size_t raw_size = 0;
  if (sodium_base642bin(out.raw.data(), out.raw.size(), code.data(), code.size(), nullptr,
                        &raw_size, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return Invalid("this personal code is damaged: it is not base64url text");
  if (raw_size < kMinPayloadBytes + crypto_sign_BYTES)
    return Invalid("this personal code is damaged: it is too short");
  out.payload_size = raw_size - crypto_sign_BYTES;
  out.fields =
      std::string_view(reinterpret_cast<const char*>(out.raw.data()) + 1, out.payload_size - 1);
  if (out.raw[0] == kFormatWithKid) {
    auto kid = ReadVarint(out.fields);
    // Kid 0 signs in format 1 only, and kids are 32-bit: one claim, one token.
    if (!kid || *kid == 0 || *kid > UINT32_MAX) return Invalid("this personal code is malformed");
    out.kid = static_cast<std::uint32_t>(*kid);
  } else if (out.raw[0] != kFormat) {
    return Invalid("this personal code has an unknown format (" + std::to_string(out.raw[0]) + ")");
  }
  return core::Ok{};
}

core::Result<CodeClaim> CheckSigned(const DecodedCode& decoded, const CodePublicKey& public_key) {
  if (crypto_sign_verify_detached(decoded.raw.data() + decoded.payload_size, decoded.raw.data(),
                                  decoded.payload_size, public_key.data()) != 0)
    return Invalid(
        "this personal code's signature does not match: it was altered, or issued by another "
        "registry");
  // Signed, so issued by us; the checks below guard against a future signer's bug.
  std::string_view fields = decoded.fields;
  auto id = ReadVarint(fields);
  auto version = id ? ReadVarint(fields) : std::nullopt;
  if (!version || !fields.empty()) return Invalid("this personal code is malformed");
  return CodeClaim{*id, *version, decoded.kid};
}

}  // namespace

std::string SignPersonalCode(const Env& env, const CodeClaim& claim) {
  const std::uint32_t kid = env.vault.NewestKid(store::KeyKind::kPersonalCode);
  std::string raw;
  raw.reserve(kMaxRawBytes);
  raw.push_back(static_cast<char>(kid == 0 ? kFormat : kFormatWithKid));
  if (kid != 0) AppendVarint(raw, kid);
  AppendVarint(raw, static_cast<std::uint64_t>(claim.resident_id));
  AppendVarint(raw, static_cast<std::uint64_t>(claim.version));
  const std::size_t payload_size = raw.size();
  raw.resize(payload_size + crypto_sign_BYTES);
  auto* bytes = reinterpret_cast<unsigned char*>(raw.data());
  KeyPair keys;
  if (!DeriveKeyPair(env.vault, kid, keys))
    throw std::logic_error("the newest personal-code key vanished while signing");
  crypto_sign_detached(bytes + payload_size, nullptr, bytes, payload_size, keys.secret_key.data());

  std::string text(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.size() - 1);  // the encoded length counts the terminating NUL
  return std::string(core::kPersonalCodePrefix) + text;
}

std::optional<CodePublicKey> PersonalCodePublicKeyOf(const store::Vault& vault, std::uint32_t kid) {
  KeyPair keys;
  if (!DeriveKeyPair(vault, kid, keys)) return std::nullopt;
  return keys.public_key;
}

std::array<unsigned char, 32> PersonalCodePublicKey(const Env& env) {
  return *PersonalCodePublicKeyOf(env.vault, env.vault.NewestKid(store::KeyKind::kPersonalCode));
}

std::string PersonalCodePublicKeyHex(const Env& env) {
  const auto key = PersonalCodePublicKey(env);
  return store::ToHex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

std::vector<std::pair<std::uint32_t, std::string>> PersonalCodePublicKeysHex(const Env& env) {
  std::vector<std::pair<std::uint32_t, std::string>> out;
  for (std::uint32_t kid : env.vault.Kids(store::KeyKind::kPersonalCode))
    if (auto key = PersonalCodePublicKeyOf(env.vault, kid))
      out.emplace_back(kid, store::ToHex(std::string_view(
                                reinterpret_cast<const char*>(key->data()), key->size())));
  return out;
}

core::Result<CodeClaim> VerifyPersonalCodeWithPublicKey(std::string_view public_key_bytes,
                                                        std::string_view code) {
  CodePublicKey key{};
  if (public_key_bytes.size() != key.size())
    return core::Fail(ErrorCode::kInternal, "an Ed25519 public key is 32 bytes, not " +
                                                std::to_string(public_key_bytes.size()));
  std::copy(public_key_bytes.begin(), public_key_bytes.end(), key.begin());
  DecodedCode decoded;
  SWB_TRY(Decode(code, decoded));
  return CheckSigned(decoded, key);
}

core::Result<CodeClaim> VerifyPersonalCodeWith(const CodeKeyLookup& key_of, std::string_view code) {
  DecodedCode decoded;
  SWB_TRY(Decode(code, decoded));
  const auto key = key_of(decoded.kid);
  if (!key)
    return Invalid("this personal code was signed under key " + std::to_string(decoded.kid) +
                   ", which this registry does not hold (retired, or never issued here)");
  return CheckSigned(decoded, *key);
}

core::Result<CodeClaim> VerifyPersonalCode(const Env& env, std::string_view code) {
  if (env.codes) return env.codes->Verify(code);
  return VerifyPersonalCodeWith(
      [&env](std::uint32_t kid) { return PersonalCodePublicKeyOf(env.vault, kid); }, code);
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
