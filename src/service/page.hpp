#pragma once
/// Keyset paging: a list reads one row more than its page holds, to know whether another
/// page follows without counting.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace swabline::service {

/// Cuts `rows`, read with a limit of `limit` + 1, to `limit`; returns the next page's cursor
/// (the id of the page's last row) when a row was cut, nullopt on the last page.
template <typename Row>
std::optional<std::int64_t> CutPage(std::vector<Row>& rows, int limit) {
  if (rows.size() <= static_cast<std::size_t>(limit)) return std::nullopt;
  rows.resize(static_cast<std::size_t>(limit));
  return rows.back().id;
}

}  // namespace swabline::service
