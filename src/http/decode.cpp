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

core::Result<std::optional<std::string>> QueryWord(
    const Request& req, std::string_view key, std::initializer_list<std::string_view> allowed) {
  auto v = req.Query(key);
  if (!v || v->empty()) return std::optional<std::string>();
  for (std::string_view a : allowed)
    if (*v == a) return std::optional<std::string>(*v);
  return core::Fail(core::ErrorCode::kInvalidField, std::string(key) + " has an unknown value")
      .With("field", std::string(key));
}

core::Result<std::optional<core::Micros>> OptionalTime(const boost::json::object& o,
                                                       std::string_view key) {
  std::optional<std::string> text;
  SWB_TRY_ASSIGN(text, OptionalString(o, key));
  if (!text) return std::optional<core::Micros>();
  auto t = core::ParseRfc3339(*text);
  if (!t)
    return core::Fail(core::ErrorCode::kInvalidField,
                      "'" + std::string(key) + "' must be an RFC 3339 time")
        .With("field", std::string(key));
  return std::optional<core::Micros>(*t);
}

core::Result<double> RequiredNumber(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v)
    return core::Fail(core::ErrorCode::kMissingField, std::string(key) + " is required")
        .With("field", std::string(key));
  if (!v->is_number())
    return core::Fail(core::ErrorCode::kInvalidField, std::string(key) + " must be a number")
        .With("field", std::string(key));
  return v->to_number<double>();
}

}  // namespace swabline::http
