#pragma once
/// Rows of incidents and their people.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace swabline::store {

struct IncidentRow {
  std::int64_t id = 0;
  std::string kind;
  std::string status;
  std::optional<std::string> tube;
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> closed_at;
  std::vector<std::int64_t> people;
};

std::int64_t InsertIncident(Tx& tx, const std::string& kind, std::int64_t now,
                            const std::vector<std::int64_t>& people);
std::optional<IncidentRow> FindIncident(Connection& db, std::int64_t id);

}  // namespace swabline::store
