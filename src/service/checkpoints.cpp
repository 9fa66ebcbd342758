#include "service/checkpoints.hpp"

#include <algorithm>

#include "core/civil_time.hpp"
#include "service/page.hpp"
#include "service/people.hpp"
#include "service/place_scope.hpp"
#include "service/status.hpp"
#include "store/audit.hpp"
#include "store/checkpoints.hpp"
#include "store/zones.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

constexpr core::Micros kDay = 86'400LL * 1'000'000;

Checkpoint CheckpointOf(const store::CheckpointRow& r) {
  return {r.id, r.name, r.place_id, r.place_path};
}

core::Result<store::CheckpointRow> CheckpointInScope(store::Connection& db, const Actor& actor,
                                                     std::int64_t id) {
  SWB_TRY(Require(actor, core::Permission::kGateScan));
  auto c = store::FindCheckpoint(db, id);
  if (!c)
    return core::Fail(ErrorCode::kUnknownCheckpoint, "no checkpoint with id " + std::to_string(id));
  SWB_TRY(RequireInScope(actor, c->place_id_path));
  return std::move(*c);
}

std::vector<core::ZoneLevel> LevelsOf(const std::vector<std::string>& names) {
  std::vector<core::ZoneLevel> out;
  for (const std::string& n : names)
    if (auto z = core::ParseZoneLevel(n)) out.push_back(*z);
  return out;
}

/// The zones over the person's home, as the status read already told them (its zone reasons),
/// so that the scan needs no second read of them.
std::vector<core::ZoneLevel> HomeZonesOf(const core::PersonStatus& status) {
  std::vector<core::ZoneLevel> out;
  for (const core::Reason& r : status.reasons)
    if (r.code.starts_with("zone_"))
      if (auto z = core::ParseZoneLevel(std::string_view(r.code).substr(5))) out.push_back(*z);
  return out;
}

CheckpointSettings SettingsOf(store::Connection& db) {
  CheckpointSettings s;
  if (auto row = store::FindGateRetention(db)) {
    s.retention_days = static_cast<int>(row->retention_days);
    s.updated_at = row->updated_at;
    s.updated_by = row->updated_by;
  }
  return s;
}

}  // namespace

core::Result<Checkpoint> CreateCheckpoint(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::string& name, std::int64_t place_id) {
  SWB_TRY(Require(actor, core::Permission::kManageSites));
  if (name.empty())
    return core::Fail(ErrorCode::kInvalidField, "a checkpoint has a name").With("field", "name");
  core::Place place;
  SWB_TRY_ASSIGN(place, ScopedPlace(tx.db(), actor, place_id));
  const core::Micros now = env.clock.Now();
  const std::int64_t id = store::InsertCheckpoint(tx, name, place_id, now, actor.username);
  store::AppendAudit(tx, now,
                     {actor.username, "checkpoint.create", "checkpoint", std::to_string(id),
                      "place=" + std::to_string(place_id)});
  return Checkpoint{id, name, place_id, place.path};
}

core::Result<CheckpointPage> ListCheckpoints(store::Connection& db, const Actor& actor,
                                             std::optional<std::int64_t> place_id,
                                             std::int64_t cursor, int limit) {
  SWB_TRY(Require(actor, core::Permission::kGateScan));
  std::string id_path;
  SWB_TRY_ASSIGN(id_path, ListedIdPath(db, actor, place_id));
  limit = std::max(limit, 1);
  auto rows = store::ListCheckpointsUnder(db, id_path, cursor, limit + 1);
  CheckpointPage page;
  page.next_cursor = CutPage(rows, limit);
  for (const auto& r : rows) page.checkpoints.push_back(CheckpointOf(r));
  return page;
}

core::Result<GateScan> ScanAtCheckpoint(store::Tx& tx, const Env& env, const Actor& actor,
                                        std::int64_t checkpoint_id, const std::string& person,
                                        const std::string& direction) {
  store::CheckpointRow checkpoint;
  SWB_TRY_ASSIGN(checkpoint, CheckpointInScope(tx.db(), actor, checkpoint_id));
  const auto dir = core::ParseGateDirection(direction);
  if (!dir)
    return core::Fail(ErrorCode::kInvalidField, "direction must be in or out")
        .With("field", "direction");
  PersonLookup who;
  SWB_TRY_ASSIGN(who, LookUpPerson(tx.db(), env, person));
  if (!who.resident) return core::Fail(ErrorCode::kUnknownPerson, "this person is not registered");
  const PersonStatusView status = StatusOf(tx.db(), *who.resident);

  core::GateInputs in;
  in.direction = *dir;
  in.color = status.status.color;
  in.state = status.status.state;
  in.lives_here = core::InSubtree(who.resident->place_id_path, checkpoint.place_id_path);
  in.gate_zones = LevelsOf(store::ActiveLevelsOver(tx.db(), checkpoint.place_id_path));
  in.home_zones = HomeZonesOf(status.status);
  core::GateDecision decision = core::DecideGate(in);

  GateScan scan;
  scan.checkpoint_id = checkpoint_id;
  scan.at = env.clock.Now();
  scan.person = status.person;
  scan.direction = *dir;
  scan.allowed = decision.allowed;
  scan.color = status.status.color;
  scan.reasons = std::move(decision.refusals);
  scan.reasons.insert(scan.reasons.end(), status.status.reasons.begin(),
                      status.status.reasons.end());
  scan.id = store::InsertGateScan(
      tx,
      {0, checkpoint_id, who.resident->id, std::string(core::GateDirectionName(*dir)), scan.allowed,
       std::string(core::ColorName(scan.color)), scan.at, actor.username, "", ""});
  return scan;
}

core::Result<GateScanPage> ListGateScans(store::Connection& db, const Actor& actor,
                                         std::int64_t checkpoint_id, core::Micros since,
                                         std::int64_t cursor, int limit) {
  SWB_TRY(CheckpointInScope(db, actor, checkpoint_id));
  limit = std::max(limit, 1);
  auto rows = store::ListGateScans(db, checkpoint_id, since, cursor, limit + 1);
  GateScanPage page;
  page.next_cursor = CutPage(rows, limit);
  for (const auto& r : rows) {
    GateScan s;
    s.id = r.id;
    s.checkpoint_id = r.checkpoint_id;
    s.at = r.at;
    s.person = {r.resident_id, r.name, r.doc_masked};
    s.direction = core::ParseGateDirection(r.direction).value_or(core::GateDirection::kIn);
    s.allowed = r.allowed;
    s.color = r.color == "red"      ? core::Color::kRed
              : r.color == "yellow" ? core::Color::kYellow
                                    : core::Color::kGreen;
    page.scans.push_back(std::move(s));
  }
  return page;
}

core::Result<CheckpointSettings> GetCheckpointSettings(store::Connection& db, const Actor& actor) {
  SWB_TRY(Require(actor, core::Permission::kGateScan));
  return SettingsOf(db);
}

core::Result<CheckpointSettings> PutCheckpointSettings(store::Tx& tx, const Env& env,
                                                       const Actor& actor, int retention_days) {
  if (actor.role != core::Role::kAdmin)
    return core::Fail(ErrorCode::kForbidden, "only an admin changes how long gate scans are kept");
  if (retention_days < 1 || retention_days > 366)
    return core::Fail(ErrorCode::kInvalidField, "retention_days must be 1 to 366")
        .With("field", "retention_days");
  const core::Micros now = env.clock.Now();
  store::PutGateRetention(tx, retention_days, now, actor.username);
  store::AppendAudit(
      tx, now,
      {actor.username, "settings.checkpoints", "setting", std::string(store::kCheckpointSettingKey),
       "retention_days " + std::to_string(retention_days)});
  return SettingsOf(tx.db());
}

std::int64_t PurgeGateScans(store::Tx& tx, const Env& env) {
  const core::Micros now = env.clock.Now();
  const core::Micros before = now - SettingsOf(tx.db()).retention_days * kDay;
  const std::int64_t deleted = store::DeleteGateScansBefore(tx, before);
  if (deleted > 0)
    store::AppendAudit(tx, now,
                       {"system", "gate_scans.purge", "gate_scans", "",
                        std::to_string(deleted) + " scans before " + core::FormatRfc3339(before)});
  return deleted;
}

}  // namespace swabline::service
