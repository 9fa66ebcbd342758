#pragma once
/// Stored first responses to mutating calls, keyed by (user, Idempotency-Key), so that an
/// offline station that sends the same scan twice gets the same answer and changes nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace swabline::store {

struct StoredResponse {
  std::string fingerprint;  // method + target + body digest of the first request
  int status = 0;
  std::string content_type;
  std::string body;
};

std::optional<StoredResponse> FindIdempotent(Connection& db, std::int64_t user_id,
                                             std::string_view key);
void InsertIdempotent(Tx& tx, std::int64_t user_id, std::string_view key,
                      const StoredResponse& response, std::int64_t now);

}  // namespace swabline::store
