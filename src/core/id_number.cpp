#include "core/id_number.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "core/error_code.hpp"

namespace swabline::core {
namespace {

constexpr std::size_t kIdLength = 18;
constexpr std::size_t kLegacyIdLength = 15;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

int DigitsToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Counts UTF-8 code points so that a number typed with full-width digits is reported with the
// length the person sees, not its byte count.
std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Names a character for an error detail without copying control or non-ASCII bytes into it
// (the detail ends up in JSON and logs, where invalid UTF-8 does harm).
std::string DescribeCharacter(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return "a non-ASCII character (full-width digits are not accepted)";
  if (u < 0x20 || u == 0x7F) return "a control character";
  return std::string("'") + c + "'";
}

bool IsKnownProvince(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

Error Invalid(std::string detail) { return Fail(ErrorCode::kInvalidIdNumber, std::move(detail)); }

// REQUIRES: `id` is 18 characters long.
std::optional<Error> CheckCharacters(std::string_view id) {
  for (std::size_t i = 0; i + 1 < kIdLength; ++i) {
    if (!IsDigit(id[i])) {
      return Invalid("character " + std::to_string(i + 1) +
                     " of the ID number must be a digit, not " + DescribeCharacter(id[i]));
    }
  }
  const char last = id[kIdLength - 1];
  if (!IsDigit(last) && last != 'X' && last != 'x') {
    return Invalid("the last character of the ID number must be a digit or X, not " +
                   DescribeCharacter(last));
  }
  return std::nullopt;
}

// REQUIRES: the first 17 characters of `id` are digits.
std::optional<Error> CheckRegion(std::string_view id) {
  const std::string_view region = id.substr(0, 6);
  if (!IsKnownProvince(DigitsToInt(region.substr(0, 2)))) {
    return Invalid("unknown region code " + std::string(region));
  }
  if (region.substr(2) == "0000") {
    return Invalid("region code " + std::string(region) +
                   " names a whole province, not a place of residence");
  }
  return std::nullopt;
}

// REQUIRES: the first 17 characters of `id` are digits.
std::optional<Error> CheckBirthDate(std::string_view id, CivilDate today) {
  const std::string_view digits = id.substr(6, 8);
  const CivilDate birth = BirthDateOf(id);
  if (!IsRealDate(birth)) return Invalid("impossible birth date " + std::string(digits));
  if (birth.year < 1900) return Invalid("birth date " + std::string(digits) + " is before 1900");
  if (birth > today) return Invalid("birth date " + std::string(digits) + " is in the future");
  return std::nullopt;
}

}  // namespace

bool LooksLikeIdNumber(std::string_view text) {
  const std::string_view s = TrimAsciiSpace(text);
  if (s.size() == kLegacyIdLength) return AllDigits(s);
  if (s.size() != kIdLength) return false;
  const char last = s.back();
  return AllDigits(s.substr(0, kIdLength - 1)) && (IsDigit(last) || last == 'X' || last == 'x');
}

char IdNumberCheckCharacter(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheckCharacters = "10X98765432";
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[static_cast<std::size_t>(sum % 11)];
}

Result<std::string> NormalizeIdNumber(std::string_view raw, CivilDate today) {
  const std::string_view id = TrimAsciiSpace(raw);
  if (id.empty()) return Invalid("the ID number is empty");
  if (id.size() == kLegacyIdLength && AllDigits(id)) {
    return Invalid(
        "15-digit ID numbers (issued before 1999) are no longer valid; use the 18-digit number");
  }
  const std::size_t length = CodePointCount(id);
  if (length != kIdLength) {
    return Invalid("an ID number has 18 characters, this one has " + std::to_string(length));
  }
  if (id.size() != kIdLength) {
    return Invalid(
        "the ID number contains a non-ASCII character (full-width digits are not accepted)");
  }
  if (auto error = CheckCharacters(id)) return *std::move(error);
  if (auto error = CheckRegion(id)) return *std::move(error);
  if (auto error = CheckBirthDate(id, today)) return *std::move(error);

  std::string canonical(id);
  if (canonical.back() == 'x') canonical.back() = 'X';
  const char expected = IdNumberCheckCharacter(canonical);
  if (canonical.back() != expected) {
    return Invalid(std::string("check character should be ") + expected + ", not " +
                   canonical.back());
  }
  return canonical;
}

std::string MaskIdNumber(std::string_view id_number) {
  constexpr std::size_t kKeepFront = 6;
  constexpr std::size_t kKeepBack = 4;
  constexpr std::size_t kKeepBackShort = 2;
  const std::size_t n = id_number.size();
  // Keeping 6 + 4 of a string of 10 or fewer would reveal all of it.
  if (n <= kKeepFront + kKeepBack) {
    if (n <= kKeepBackShort) {
      std::string all_stars(n, '*');
      return all_stars;
    }
    std::string masked(n - kKeepBackShort, '*');
    masked.append(id_number.substr(n - kKeepBackShort));
    return masked;
  }
  std::string masked;
  masked.reserve(n);
  masked.append(id_number.substr(0, kKeepFront));
  masked.append(n - kKeepFront - kKeepBack, '*');
  masked.append(id_number.substr(n - kKeepBack));
  return masked;
}

CivilDate BirthDateOf(std::string_view id_number) {
  return CivilDate{DigitsToInt(id_number.substr(6, 4)), DigitsToInt(id_number.substr(10, 2)),
                   DigitsToInt(id_number.substr(12, 2))};
}

}  // namespace swabline::core
