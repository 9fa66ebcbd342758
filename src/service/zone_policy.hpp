#pragma once
/// The zone policy as data (docs/outbreak.md, "Zones and the policy"): stored under the
/// settings key "zone_policy", read by everything a positive sets off, changed by an admin.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/zone_policy.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// The policy in force: the stored one, or core::DefaultZonePolicy() when none is stored. A
/// stored policy was validated when saved; one that no longer reads (edited outside the API)
/// gives way to the default rather than stopping every upload.
core::ZonePolicy LoadZonePolicy(store::Connection& db);

/// For anyone who may read incidents. kForbidden.
core::Result<core::ZonePolicy> GetZonePolicy(store::Connection& db, const Actor& actor);

/// Replaces the stored policy with the one `entries` spell (the whole document, as leaves:
/// core::PolicyEntry), validated, with an audit record. Admin only. kForbidden, kInvalidField
/// (detail and `field` naming the JSON path).
core::Result<core::ZonePolicy> SaveZonePolicy(store::Tx& tx, const Env& env, const Actor& actor,
                                              std::span<const core::PolicyEntry> entries);

/// The levels of the zones in force over the place (by its id_path) or any place above it.
std::vector<core::ZoneLevel> ActiveZoneLevelsOver(store::Connection& db,
                                                  std::string_view place_id_path);

/// The pool size the zones in force over the place or above it ask of a tube opened there, by
/// the policy in force (core::PoolSizeFor: the smallest any of their levels sets); nullopt
/// when no zone is in force there or none of their levels sets one.
std::optional<int> ZonedPoolSize(store::Connection& db, std::string_view place_id_path);

/// How each level lifts under `policy`, in words for a person's status reasons.
core::HowZonesLiftWords HowZonesLift(const core::ZonePolicy& policy);

}  // namespace swabline::service
