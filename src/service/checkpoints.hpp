#pragma once
/// Checkpoints at compound gates (docs/api.md, "The areas": community operations;
/// docs/openapi.yaml): a guard scans a person, sees their colour and whether they may pass under
/// the zones in force (core::DecideGate), and every scan is logged for contact tracing, kept for
/// the retention period.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/gate.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "service/sampling.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct Checkpoint {
  std::int64_t id = 0;
  std::string name;
  std::int64_t place_id = 0;
  std::string address;  // the place's path
};

/// kManageSites, the place in scope. kInvalidField for an empty name; kUnknownPlace.
core::Result<Checkpoint> CreateCheckpoint(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::string& name, std::int64_t place_id);

struct CheckpointPage {
  std::vector<Checkpoint> checkpoints;  // by id
  std::optional<std::int64_t> next_cursor;
};

/// Checkpoints at or under `place_id` (else the actor's places). kGateScan; kUnknownPlace.
core::Result<CheckpointPage> ListCheckpoints(store::Connection& db, const Actor& actor,
                                             std::optional<std::int64_t> place_id,
                                             std::int64_t cursor, int limit);

struct GateScan {
  std::int64_t id = 0;
  std::int64_t checkpoint_id = 0;
  core::Micros at = 0;
  PersonBrief person;
  core::GateDirection direction = core::GateDirection::kIn;
  bool allowed = false;
  core::Color color = core::Color::kGreen;
  /// The gate's refusals (gate_*) first, then the person's status reasons.
  std::vector<core::Reason> reasons;
};

/// A person at the gate (kGateScan, the checkpoint in scope; the person may live anywhere).
/// kUnknownCheckpoint; kInvalidField for a direction other than in or out;
/// kInvalidIdNumber, kInvalidPersonalCode, kUnknownPerson. One status read and one insert.
core::Result<GateScan> ScanAtCheckpoint(store::Tx& tx, const Env& env, const Actor& actor,
                                        std::int64_t checkpoint_id, const std::string& person,
                                        const std::string& direction);

struct GateScanPage {
  std::vector<GateScan> scans;  // newest first; reasons left empty
  std::optional<std::int64_t> next_cursor;
};

/// The checkpoint's logged scans at or after `since`. kGateScan; kUnknownCheckpoint.
core::Result<GateScanPage> ListGateScans(store::Connection& db, const Actor& actor,
                                         std::int64_t checkpoint_id, core::Micros since,
                                         std::int64_t cursor, int limit);

/// How long gate scans are kept (the settings key "checkpoints"); 14 days unless changed.
struct CheckpointSettings {
  int retention_days = 14;
  std::optional<core::Micros> updated_at;  // nullopt: the default, never stored
  std::string updated_by;
};

/// kGateScan.
core::Result<CheckpointSettings> GetCheckpointSettings(store::Connection& db, const Actor& actor);
/// Admin only (kForbidden), audited; kInvalidField for retention_days outside 1..366.
core::Result<CheckpointSettings> PutCheckpointSettings(store::Tx& tx, const Env& env,
                                                       const Actor& actor, int retention_days);

/// Deletes the gate scans older than the retention period; returns how many (audited when
/// any). The server runs it by itself (serve --purge-gate-scans-every).
std::int64_t PurgeGateScans(store::Tx& tx, const Env& env);

}  // namespace swabline::service
