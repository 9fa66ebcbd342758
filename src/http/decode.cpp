#include "http/decode.hpp"

#include <charconv>

namespace swabline::http {

namespace {

/// The one parser of ids in paths and queries: a positive decimal integer, nothing around it.
std::optional<std::int64_t> ParseId(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

core::Error Unknown(core::ErrorCode unknown, std::string_view what, std::string_view text) {
  return {unknown, "no " + std::string(what) + " with id '" + std::string(text) + "'"};
}

}  // namespace

core::Result<std::int64_t> PathId(const Request& req, core::ErrorCode unknown,
                                  std::string_view what) {
  const std::string& text = req.Param("id");
  if (auto id = ParseId(text)) return *id;
  return Unknown(unknown, what, text);
}

core::Result<std::optional<std::int64_t>> QueryId(const Request& req, std::string_view key,
                                                  core::ErrorCode unknown, std::string_view what) {
  auto text = req.Query(key);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  if (auto id = ParseId(*text)) return std::optional<std::int64_t>(*id);
  return Unknown(unknown, what, *text);
}

}  // namespace swabline::http
