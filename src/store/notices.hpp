#pragma once
/// Rows of a round's notices (its schedule: where, when, which lane), and the text of the
/// outbox payloads that carry them, made by SQLite's JSON functions so that no layer below
/// http writes JSON by hand.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct NoticeRow {
  std::int64_t id = 0;
  std::int64_t round_id = 0;
  std::string text;
  std::int64_t created_at = 0;
  std::string created_by;
};

std::int64_t InsertNotice(Tx& tx, const NoticeRow& row);
/// The round's notices, newest first.
std::vector<NoticeRow> NoticesOfRound(Connection& db, std::int64_t round_id);

/// {"round_id":…,"notice_id":…,"text":…} as JSON text; notice_id and text left out when
/// absent.
std::string NoticePayload(Connection& db, std::int64_t round_id,
                          std::optional<std::int64_t> notice_id,
                          const std::optional<std::string>& text);

}  // namespace swabline::store
