#include "core/civil_time.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

namespace swabline::core {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole int range we use.
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m),
                   static_cast<int>(d)};
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsRealDate(const CivilDate& d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= DaysInMonth(d.year, d.month);
}

CivilDate DateOf(Micros instant) {
  std::int64_t secs = instant / 1'000'000;
  if (instant < 0 && instant % 1'000'000 != 0) --secs;
  std::int64_t days = secs / 86400;
  if (secs < 0 && secs % 86400 != 0) --days;
  return CivilFromDays(days);
}

std::string FormatRfc3339(Micros instant) {
  std::int64_t secs = instant / 1'000'000;
  std::int64_t frac = instant % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const CivilDate d = CivilFromDays(days);
  // Digits by hand, not snprintf: every JSON time goes through here, and a scan's reply
  // holds several (snprintf's format parsing was 7% of a scan's writer work).
  char buf[32];
  char* p = buf;
  auto put = [&p](std::int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    p += width;
  };
  const std::int64_t year = d.year;
  if (year < 0 || year > 9999) {
    const std::string y = std::to_string(year);  // outside RFC 3339; kept readable
    std::memcpy(p, y.data(), std::min<std::size_t>(y.size(), 11));
    p += std::min<std::size_t>(y.size(), 11);
  } else {
    put(year, 4);
  }
  *p++ = '-';
  put(d.month, 2);
  *p++ = '-';
  put(d.day, 2);
  *p++ = 'T';
  put(rem / 3600, 2);
  *p++ = ':';
  put(rem / 60 % 60, 2);
  *p++ = ':';
  put(rem % 60, 2);
  if (frac != 0) {
    *p++ = '.';
    put(frac, 6);
  }
  *p++ = 'Z';
  return {buf, p};
}

std::optional<Micros> ParseRfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' ||
      (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' || t[16] != ':')
    return std::nullopt;
  int y, mo, d, h, mi, s;
  if (!ParseInt(t.substr(0, 4), y) || !ParseInt(t.substr(5, 2), mo) ||
      !ParseInt(t.substr(8, 2), d) || !ParseInt(t.substr(11, 2), h) ||
      !ParseInt(t.substr(14, 2), mi) || !ParseInt(t.substr(17, 2), s))
    return std::nullopt;
  if (!IsRealDate({y, mo, d}) || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    int digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (t[i] - '0');
        ++digits;
      }
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (i >= t.size()) return std::nullopt;
  std::int64_t offset = 0;
  if (t[i] == 'Z' || t[i] == 'z') {
    ++i;
  } else if (t[i] == '+' || t[i] == '-') {
    int oh, om;
    if (t.size() - i != 6 || t[i + 3] != ':' || !ParseInt(t.substr(i + 1, 2), oh) ||
        !ParseInt(t.substr(i + 4, 2), om))
      return std::nullopt;
    offset = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (t[i] == '+' ? 1 : -1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  const std::int64_t secs =
      DaysFromCivil(y, mo, d) * 86400 + std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + s - offset;
  return secs * 1'000'000 + micros;
}

}  // namespace swabline::core
