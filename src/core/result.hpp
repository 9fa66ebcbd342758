#pragma once
/// Errors as values: every expected failure of a use case is a `Result<T>` carrying one
/// `ErrorCode`. Exceptions are kept for bugs and startup failures.

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error_code.hpp"

namespace swabline::core {

/// An expected failure: a stable code, a human detail, and optional extra members that the
/// HTTP layer copies into the problem+json body (e.g. `tube` and `sampled_at`).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::vector<std::pair<std::string, std::string>> extras;

  Error() = default;
  Error(ErrorCode c, std::string d) : code(c), detail(std::move(d)) {}
  Error& With(std::string key, std::string value) {
    extras.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation that yields nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error Fail(ErrorCode code, std::string detail) { return {code, std::move(detail)}; }

}  // namespace swabline::core
// NOLINTBEGIN(bugprone-macro-parentheses)
/// Propagates an error from an expression yielding Result<T>; binds the value otherwise.
#define SWB_TRY_ASSIGN(lhs, expr)                                                         \
  auto SWB_CONCAT_(res_, __LINE__) = (expr);                                              \
  if (!SWB_CONCAT_(res_, __LINE__).ok()) return SWB_CONCAT_(res_, __LINE__).take_error(); \
  lhs = std::move(SWB_CONCAT_(res_, __LINE__))                                            \
            .value() /* lhs stays bare: it may declare (`auto x`) */
// NOLINTEND(bugprone-macro-parentheses)
#define SWB_TRY(expr)                                       \
  do {                                                      \
    auto swb_status_ = (expr);                              \
    if (!swb_status_.ok()) return swb_status_.take_error(); \
  } while (false)

#define SWB_CONCAT_INNER_(a, b) a##b
#define SWB_CONCAT_(a, b) SWB_CONCAT_INNER_(a, b)
