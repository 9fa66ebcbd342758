#pragma once
/// Small text helpers shared by the parsers of scanned and imported fields.

#include <cstddef>
#include <functional>
#include <string_view>

namespace swabline::core {

/// Without leading and trailing spaces and tabs.
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Hashes std::string keys and std::string_view look-ups alike, so an unordered_map keyed by
/// std::string (with std::equal_to<>) is searched without building a string per look-up.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace swabline::core
