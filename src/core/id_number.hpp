#pragma once
/// Rules for the 18-character resident ID number (GB 11643-1999): a 6-digit region code, an
/// 8-digit birth date, a 3-digit sequence, and an ISO 7064 MOD 11-2 check character.

#include <string>
#include <string_view>

#include "core/civil_time.hpp"
#include "core/result.hpp"

namespace swabline::core {

/// True when the text has the shape of an ID number (17 digits then a digit or X/x, or the
/// old 15-digit form), whether or not it is valid. Used to tell an ID number from a personal
/// code or a resident id when a person is named.
bool LooksLikeIdNumber(std::string_view text);

/// The check character (0-9 or 'X') for the first 17 digits.
/// REQUIRES: `first17` is 17 ASCII digits.
char IdNumberCheckCharacter(std::string_view first17);

/// Validates and canonicalises (upper-case X, surrounding spaces trimmed). Fails with
/// kInvalidIdNumber and a detail that says exactly what is wrong: length, characters, the
/// 15-digit legacy form, unknown region, impossible or future birth date, check character.
Result<std::string> NormalizeIdNumber(std::string_view raw, CivilDate today);

/// "110105********123X": the first 6 and the last 4 characters kept.
std::string MaskIdNumber(std::string_view id_number);

/// The birth date encoded in a valid ID number.
/// REQUIRES: `id_number` passed NormalizeIdNumber.
CivilDate BirthDateOf(std::string_view id_number);

}  // namespace swabline::core
