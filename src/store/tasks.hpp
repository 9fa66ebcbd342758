#pragma once
/// Rows of follow-up tasks: one retest per member of a positive pool (docs/outbreak.md).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct TaskRow {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  std::string kind = "retest";
  std::int64_t resident_id = 0;
  std::string status = "open";
  bool door_to_door = false;
  std::optional<std::string> assignee;
  std::int64_t due_at = 0;
  std::optional<std::string> result;
};

std::int64_t InsertTask(Tx& tx, const TaskRow& row, std::int64_t now);
/// InsertTask for many, many to a statement (their ids, status and result ignored: open). Returns
/// the first one's id; the others follow it in order.
std::int64_t InsertTasks(Tx& tx, std::span<const TaskRow> rows, std::int64_t now);
std::optional<TaskRow> FindTask(Connection& db, std::int64_t id);
/// The incident's task for the person, if any.
std::optional<TaskRow> FindTaskOf(Connection& db, std::int64_t incident_id,
                                  std::int64_t resident_id);
void CompleteTask(Tx& tx, std::int64_t id, std::string_view result, std::int64_t now);
void AssignTaskRow(Tx& tx, std::int64_t id, std::string_view assignee,
                   std::optional<std::int64_t> due_at);
std::vector<TaskRow> TasksOfIncident(Connection& db, std::int64_t incident_id);

struct TaskFilter {
  std::optional<std::string> status;
  std::optional<std::int64_t> overdue_at;  // open tasks due before this instant
  std::string under_id_path;               // the person's home at or under it; "" = anywhere
};
std::vector<TaskRow> ListTaskRows(Connection& db, const TaskFilter& filter);

}  // namespace swabline::store
