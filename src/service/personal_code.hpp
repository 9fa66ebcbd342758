#pragma once
/// Personal codes (DESIGN.md, Security): a compact Ed25519-signed token that names a resident
/// by id and code version and reveals nothing readable; any server holding the public key
/// verifies it offline. Reissuing bumps the version, so an old code stops working.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/sqlite.hpp"

namespace swabline::service {

struct CodeClaim {
  std::int64_t resident_id = 0;
  std::int64_t version = 0;
};

/// Signs a claim: "SW1." + base64url(payload || signature).
std::string SignPersonalCode(const Env& env, const CodeClaim& claim);
/// Checks the signature and shape only (not the version). kInvalidPersonalCode otherwise.
core::Result<CodeClaim> VerifyPersonalCode(const Env& env, std::string_view code);
/// Verifies and checks the version against the registry: the resident id of a current code.
/// kInvalidPersonalCode for a bad or revoked code.
core::Result<std::int64_t> ResolvePersonalCode(store::Connection& db, const Env& env,
                                               std::string_view code);

}  // namespace swabline::service
