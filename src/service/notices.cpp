#include "service/notices.hpp"

#include "core/place.hpp"
#include "core/text.hpp"
#include "service/coverage.hpp"
#include "store/audit.hpp"
#include "store/coverage_scan.hpp"
#include "store/notices.hpp"
#include "store/outbox.hpp"
#include "store/rounds.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

/// The notice's text: as given, else its parts on one line each ("where: …").
std::string TextOf(const NoticeInput& in) {
  if (in.text && !core::TrimBlanks(*in.text).empty())
    return std::string(core::TrimBlanks(*in.text));
  std::string out;
  auto add = [&](const char* label, const std::optional<std::string>& part) {
    if (!part || core::TrimBlanks(*part).empty()) return;
    if (!out.empty()) out += '\n';
    out += std::string(label) + ": " + std::string(core::TrimBlanks(*part));
  };
  add("where", in.where);
  add("when", in.when);
  add("lane", in.lane);
  return out;
}

Notice NoticeOf(const store::NoticeRow& row) {
  return {row.id, row.round_id, row.text, row.created_at, row.created_by, {}};
}

}  // namespace

core::Result<Notice> PostNotice(store::Tx& tx, const Env& env, const Actor& actor,
                                std::int64_t round_id, std::optional<std::int64_t> place_id,
                                const NoticeInput& in) {
  SWB_TRY(Require(actor, core::Permission::kManageRounds));
  RoundScope scope;
  SWB_TRY_ASSIGN(scope, ResolveRoundScope(tx.db(), actor, round_id, place_id));
  const std::string text = TextOf(in);
  if (text.empty())
    return core::Fail(ErrorCode::kMissingField, "send text, or where, when and lane")
        .With("field", "text");
  const core::Micros now = env.clock.Now();
  store::NoticeRow row{0, round_id, text, now, actor.username};
  row.id = store::InsertNotice(tx, row);
  Notice out = NoticeOf(row);
  const std::string payload = store::NoticePayload(tx.db(), round_id, row.id, text);
  for (const std::string& root : scope.roots) {
    const std::int64_t place = core::IdsAlong(root).back();
    store::AppendOutbox(tx, {"round_notice", "place", std::to_string(place), payload, now});
    out.place_ids.push_back(place);
  }
  store::AppendAudit(tx, now,
                     {actor.username, "round.notice", "round", std::to_string(round_id),
                      "notice " + std::to_string(row.id) + " to " +
                          std::to_string(out.place_ids.size()) + " places"});
  return out;
}

core::Result<std::vector<Notice>> ListNotices(store::Connection& db, const Actor& actor,
                                              std::int64_t round_id) {
  SWB_TRY(Require(actor, core::Permission::kReadCoverage));
  if (!store::FindRound(db, round_id))
    return core::Fail(ErrorCode::kUnknownRound, "no round with id " + std::to_string(round_id));
  std::vector<Notice> out;
  for (const store::NoticeRow& row : store::NoticesOfRound(db, round_id))
    out.push_back(NoticeOf(row));
  return out;
}

core::Result<Reminders> SendReminders(store::Tx& tx, const Env& env, const Actor& actor,
                                      std::int64_t round_id, std::optional<std::int64_t> place_id) {
  SWB_TRY(Require(actor, core::Permission::kManageRounds));
  RoundScope scope;
  SWB_TRY_ASSIGN(scope, ResolveRoundScope(tx.db(), actor, round_id, place_id));
  if (store::FindRound(tx.db(), round_id)->status == core::RoundStatus::kClosed)
    return core::Fail(ErrorCode::kRoundClosed, "round " + std::to_string(round_id) + " is closed");
  std::vector<store::NoticeRow> notices = store::NoticesOfRound(tx.db(), round_id);
  const std::string payload =
      notices.empty()
          ? store::NoticePayload(tx.db(), round_id, std::nullopt, std::nullopt)
          : store::NoticePayload(tx.db(), round_id, notices.front().id, notices.front().text);
  std::vector<std::int64_t> residents;
  for (const std::string& root : scope.roots)
    store::ScanCoverage(tx.db(), round_id, root, [&](const store::CoverageRow& row) {
      if (!row.sampled) residents.push_back(row.resident_id);
    });
  const core::Micros now = env.clock.Now();
  for (std::int64_t id : residents)
    store::AppendOutbox(tx, {"sampling_reminder", "resident", std::to_string(id), payload, now});
  store::AppendAudit(
      tx, now,
      {actor.username, "round.reminders", "round", std::to_string(round_id),
       std::to_string(residents.size()) + " residents at place " + std::to_string(scope.place.id)});
  return Reminders{round_id, scope.place.id, static_cast<std::int64_t>(residents.size())};
}

}  // namespace swabline::service
