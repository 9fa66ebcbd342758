#pragma once
/// Calendar dates and instants. Instants are microseconds since the Unix epoch, UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swabline::core {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend auto operator<=>(const CivilDate&, const CivilDate&) =
      default;  // NOLINT(modernize-use-nullptr): a false positive on <=>
};

using Micros = std::int64_t;

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
/// True when the date exists in the proleptic Gregorian calendar (no 1980-02-30).
bool IsRealDate(const CivilDate& d);
CivilDate DateOf(Micros instant);

/// "2026-11-29T02:43:56Z" (seconds precision; sub-second digits only when non-zero).
std::string FormatRfc3339(Micros instant);
/// Parses RFC 3339 with 'Z' or a numeric offset; nullopt when malformed.
std::optional<Micros> ParseRfc3339(std::string_view text);

/// Source of "now". Injected so tests can set the time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros Now() const = 0;
};

}  // namespace swabline::core
