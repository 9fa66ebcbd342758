#pragma once
/// The shape of a personal code (a resident's QR token), so that a scanned string can be told
/// from an ID number or a resident id before any signature is checked.

#include <string_view>

namespace swabline::core {

/// Personal codes start with this prefix, then base64url text.
inline constexpr std::string_view kPersonalCodePrefix = "SW1.";

inline bool LooksLikePersonalCode(std::string_view text) {
  return text.substr(0, kPersonalCodePrefix.size()) == kPersonalCodePrefix;
}

}  // namespace swabline::core
