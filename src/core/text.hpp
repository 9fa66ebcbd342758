#pragma once
/// Small text helpers shared by the parsers of scanned and imported fields.

#include <string_view>

namespace swabline::core {

/// Without leading and trailing spaces and tabs.
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace swabline::core
