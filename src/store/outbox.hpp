#pragma once
/// The outbox: a message someone must act on, written in the transaction of the change it
/// tells of, for a delivery worker to send later.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct OutboxRow {
  std::string event;           // status_yellow, status_red, retest_task, zone_started, …
  std::string recipient_kind;  // resident, user, team, place
  std::string recipient;       // the resident's or place's id, a username or a team
  std::string payload;         // a JSON object's text
  std::int64_t created_at = 0;
};

void AppendOutbox(Tx& tx, const OutboxRow& row);
/// AppendOutbox for many, in order, many to a statement.
void AppendOutboxRows(Tx& tx, std::span<const OutboxRow> rows);
/// Every row, oldest first (tests and the delivery worker).
std::vector<OutboxRow> OutboxRows(Connection& db);

}  // namespace swabline::store
