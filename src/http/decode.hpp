#pragma once
/// What every handler shares between decoding a request and encoding its answer: one macro to
/// decode or answer the problem, one parser of `{id}` path parameters, one way to turn a use
/// case's core::Result into a reply.

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "http/app.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"

namespace swabline::http {

/// Decodes with `expr` (a core::Result), answering its problem through the handler's
/// `respond` when it fails. `var` is declared here, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define SWB_DECODE(var, expr) \
  auto var = (expr);          \
  if (!var) return respond(ProblemReply(var.error()))
// NOLINTEND(bugprone-macro-parentheses)

/// The `{id}` path parameter as a positive integer id; otherwise `unknown` ("no <what> with id
/// '<text>'"): an id that cannot exist names nothing.
core::Result<std::int64_t> PathId(const Request& req, core::ErrorCode unknown,
                                  std::string_view what);

/// A query parameter `key` that, when present and not empty, names a positive integer id;
/// otherwise `unknown`, as PathId.
core::Result<std::optional<std::int64_t>> QueryId(const Request& req, std::string_view key,
                                                  core::ErrorCode unknown, std::string_view what);

/// `?key=` as one of `allowed` (absent or empty: none); kInvalidField otherwise.
core::Result<std::optional<std::string>> QueryWord(const Request& req, std::string_view key,
                                                   std::initializer_list<std::string_view> allowed);

/// An optional RFC 3339 time member; kInvalidField naming it when it is not one.
core::Result<std::optional<core::Micros>> OptionalTime(const boost::json::object& o,
                                                       std::string_view key);

/// A required number member; kMissingField or kInvalidField naming it.
core::Result<double> RequiredNumber(const boost::json::object& o, std::string_view key);

/// The problem of a failed use case, or `make(value)`: the reply of a success that is not
/// JSON (an SVG, a download). `result` is taken by value so that `make` may move from it.
template <typename T, typename MakeReply>
Reply Answer(core::Result<T> result, MakeReply make) {
  if (!result) return ProblemReply(result.error());
  return make(std::move(*result));
}

/// The problem of a failed use case, or `encode(value)` as JSON with `status`.
template <typename T, typename Encode>
Reply Answer(int status, const core::Result<T>& result, Encode encode) {
  if (!result) return ProblemReply(result.error());
  return JsonReply(status, boost::json::value(encode(*result)));
}

/// As Answer, but a success is encoded where the reply is sent (Reply::render), not here: for
/// a write's hot path, whose use case runs on the one writer thread. `result` is taken by value
/// and kept in the reply until then.
template <typename T, typename Encode>
Reply AnswerLater(int status, core::Result<T> result, Encode encode) {
  if (!result) return ProblemReply(result.error());
  Reply r;
  r.status = status;
  r.render = [value = std::move(*result), encode] {
    return JsonText(boost::json::value(encode(value)));
  };
  return r;
}

}  // namespace swabline::http
