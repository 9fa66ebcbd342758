#pragma once
/// Personal codes (docs/architecture.md, Security and privacy): a compact Ed25519-signed token that
/// names a resident by id and code version and reveals nothing readable; any server holding the
/// public key verifies it offline. Reissuing bumps the version, so an old code stops working.
///
/// Token: "SW1." + base64url-without-padding(payload || signature), where payload is
/// - format 1 (signed by personal-code key 0, the one every deployment started with): the
///   byte 1, then the resident id and the code version as LEB128 varints (3 to 21 bytes);
/// - format 2 (signed by a later key): the byte 2, the key id (kid, a varint, never 0), then
///   the resident id and the code version (4 to 26 bytes);
/// and signature is the 64-byte Ed25519 signature of the payload. The signing key's seed is
/// derived from the key file's personal-code key of that kid, so every server sharing the key
/// file signs and verifies alike. New codes are signed with the newest key; a code verifies
/// while its key is in the key file. Codes carry no expiry: retiring a key (`swabline keys
/// retire --code-key`) is what ends the codes it signed (docs/security.md, Key handling).
/// All functions are thread-safe.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct CodeClaim {
  std::int64_t resident_id = 0;
  std::int64_t version = 0;
  std::uint32_t kid = 0;  // the personal-code key that signed it
};

using CodePublicKey = std::array<unsigned char, 32>;
/// The public key of personal-code key `kid`, or nullopt when the registry does not hold it.
using CodeKeyLookup = std::function<std::optional<CodePublicKey>(std::uint32_t kid)>;

/// Signs a claim with the newest personal-code key: "SW1." + base64url(payload || signature).
/// REQUIRES: claim.resident_id >= 0 and claim.version >= 0.
std::string SignPersonalCode(const Env& env, const CodeClaim& claim);
/// Checks the signature and shape only (not the version). kInvalidPersonalCode otherwise,
/// also for a code whose key is retired or unknown.
core::Result<CodeClaim> VerifyPersonalCode(const Env& env, std::string_view code);
/// Verifies and checks the version against the registry: the resident id of a current code.
/// kInvalidPersonalCode for a bad or revoked code.
core::Result<std::int64_t> ResolvePersonalCode(store::Connection& db, const Env& env,
                                               std::string_view code);

/// Verifies with the keys `key_of` gives: shape, kid and signature. kInvalidPersonalCode.
core::Result<CodeClaim> VerifyPersonalCodeWith(const CodeKeyLookup& key_of, std::string_view code);
/// The public key of the vault's personal-code key `kid`; nullopt when the vault has none.
std::optional<CodePublicKey> PersonalCodePublicKeyOf(const store::Vault& vault, std::uint32_t kid);
/// Every personal-code key the registry verifies with, as (kid, 64 hex digits), oldest first.
std::vector<std::pair<std::uint32_t, std::string>> PersonalCodePublicKeysHex(const Env& env);

/// The raw 32-byte Ed25519 public key that verifies this deployment's new codes (the newest).
std::array<unsigned char, 32> PersonalCodePublicKey(const Env& env);
/// The same, as 64 lower-case hex digits: what another server needs to verify offline.
std::string PersonalCodePublicKeyHex(const Env& env);
/// Verifies with the public key alone (raw 32 bytes), without the vault or the registry:
/// shape and signature, not revocation. kInvalidPersonalCode for a bad code; kInternal when
/// the key is not 32 bytes.
core::Result<CodeClaim> VerifyPersonalCodeWithPublicKey(std::string_view public_key_bytes,
                                                        std::string_view code);

/// The resident's current code, to show as a QR. kReadResidents, in scope; kUnknownResident.
core::Result<std::string> GetPersonalCode(store::Connection& db, const Env& env, const Actor& actor,
                                          std::int64_t resident_id);
/// Issues a new code and revokes every earlier one (bumps the resident's code version),
/// audited as "resident.code_reissue". kWriteRegistry, in scope; kUnknownResident.
core::Result<std::string> ReissuePersonalCode(store::Tx& tx, const Env& env, const Actor& actor,
                                              std::int64_t resident_id);

}  // namespace swabline::service
