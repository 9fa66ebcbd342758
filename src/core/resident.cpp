#include "core/resident.hpp"

#include <algorithm>

namespace swabline::core {
namespace {

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = s.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) {
      std::string tag(part);
      std::transform(tag.begin(), tag.end(), tag.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(std::move(tag));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> ParseTags(std::string_view s) { return Split(s); }

std::string JoinTagsForStorage(const std::vector<std::string>& tags) {
  if (tags.empty()) return "";
  std::string out = ";";
  for (const auto& t : tags) {
    out += t;
    out += ';';
  }
  return out;
}

std::vector<std::string> SplitStoredTags(std::string_view stored) { return Split(stored); }

}  // namespace swabline::core
