#pragma once
/// Telling residents about a round (docs/api.md, "Community operations"): a notice of its
/// schedule to the round's places, and reminders to the residents not yet sampled, both as
/// outbox messages that the outbox worker delivers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// A notice as given: free text, or where/when/lane, which make the text when it is absent.
struct NoticeInput {
  std::optional<std::string> text;
  std::optional<std::string> where;
  std::optional<std::string> when;
  std::optional<std::string> lane;
};

struct Notice {
  std::int64_t id = 0;
  std::int64_t round_id = 0;
  std::string text;
  core::Micros created_at = 0;
  std::string created_by;
  std::vector<std::int64_t> place_ids;  // told: one outbox row (round_notice) each
};

/// Stores the notice and tells each of the round's places at or under `place_id` (as
/// coverage resolves it) with an outbox row `round_notice` to the place. kForbidden
/// (manage_rounds, scope), kUnknownRound, kUnknownPlace, kMissingField (no text and no
/// where/when/lane; or place_id, as coverage).
core::Result<Notice> PostNotice(store::Tx& tx, const Env& env, const Actor& actor,
                                std::int64_t round_id, std::optional<std::int64_t> place_id,
                                const NoticeInput& in);

/// The round's notices, newest first. kForbidden (read_coverage), kUnknownRound.
core::Result<std::vector<Notice>> ListNotices(store::Connection& db, const Actor& actor,
                                              std::int64_t round_id);

struct Reminders {
  std::int64_t round_id = 0;
  std::int64_t place_id = 0;
  std::int64_t reminded = 0;  // outbox rows written, one per resident not yet sampled
};

/// One outbox row `sampling_reminder` per resident expected at or under the place (as
/// coverage resolves it) with no valid sample in the round yet, carrying the round's latest
/// notice. Per resident rather than per building: a building message reaches the sampled too,
/// and a reminder is worth sending only to whom it concerns. kForbidden (manage_rounds,
/// scope), kUnknownRound, kUnknownPlace, kMissingField (place_id, as coverage), kRoundClosed.
core::Result<Reminders> SendReminders(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t round_id, std::optional<std::int64_t> place_id);

}  // namespace swabline::service
