#pragma once
/// What the request use cases share (requests.cpp, request_views.cpp): a stored request as
/// answered, the request an actor may see, and the hours each category may wait.

#include <cstdint>

#include "core/request.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "service/requests.hpp"
#include "store/connection.hpp"
#include "store/requests.hpp"

namespace swabline::service {

/// The row as answered at env.clock's time; with comments and timeline when `detailed`.
ResidentRequest RequestOf(store::Connection& db, const Env& env, const store::RequestRow& row,
                          bool detailed);

/// The request, whose person lives in the actor's places. kUnknownRequest, kForbidden.
core::Result<store::RequestRow> FindScopedRequest(store::Connection& db, const Actor& actor,
                                                  std::int64_t id);

/// The stored hours per category; a category missing or out of range keeps its default.
core::RequestDueHours LoadRequestDueHours(store::Connection& db);

}  // namespace swabline::service
