#include "http/message.hpp"

#include "http/xlsx.hpp"

namespace swabline::http {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

}  // namespace

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

bool Request::QueryFlag(std::string_view name) const {
  auto v = Query(name);
  return v && (*v == "true" || *v == "1" || *v == "yes");
}

const std::string& Request::Param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return kEmpty;
}

std::string_view Request::BearerToken() const {
  std::string_view a = authorization;
  if (!StartsWithNoCase(a, "bearer ")) return {};
  a.remove_prefix(7);
  while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
  while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
  return a;
}

bool Request::IsCsv() const { return StartsWithNoCase(content_type, "text/csv"); }
bool Request::IsXlsx() const { return StartsWithNoCase(content_type, kXlsxType); }

bool Request::WantsCsv() const {
  return accept.find("text/csv") != std::string::npos || Query("format") == "csv";
}

}  // namespace swabline::http
