#pragma once
/// Incidents (docs/outbreak.md): opened by the system in the transaction of the result or
/// report that causes them, or by hand; each with its people, places, zones, retest tasks,
/// timeline and (for an antigen report) checklist. One function per use case.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/tube.hpp"
#include "service/env.hpp"
#include "service/sampling.hpp"
#include "service/zones.hpp"
#include "store/connection.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

struct TimelineEntry {
  core::Micros at = 0;
  std::string event;  // opened, person_added, zone_started, zone_lifted, task_created,
                      // task_assigned, task_done, checklist, escalated, closed
  std::string detail;
  std::string actor;
};

struct ChecklistEntry {
  std::string item;  // nasal_swab, throat_swab, blood, environment, antigen
  std::optional<core::Micros> done_at;
  std::optional<std::string> result;  // negative, positive
};

struct Task {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  std::string kind = "retest";
  PersonBrief person;
  std::string status;  // open, done
  bool door_to_door = false;
  std::optional<std::string> assignee;
  core::Micros due_at = 0;
};

struct Incident {
  std::int64_t id = 0;
  std::string kind;    // pool_positive, positive, antigen_report, manual
  std::string status;  // open, closed
  std::optional<std::string> tube;
  std::vector<PersonBrief> people;
  std::vector<std::int64_t> place_ids;
  std::vector<Zone> zones;
  core::Micros opened_at = 0;
  std::optional<core::Micros> closed_at;
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> note;
  std::optional<std::string> closed_reason;
  // Filled by GetIncident and the use cases that answer one incident (`detailed`).
  bool detailed = false;
  std::vector<TimelineEntry> timeline;
  std::vector<Task> tasks;
  std::vector<ChecklistEntry> checklist;  // antigen_report only
};

// --- What a result sets off (the lab upload calls these in its transaction) ---

/// A pooled screening tube turned positive: a pool_positive incident with the tube's members,
/// the policy's zones over each member's places, a retest task per member, and the outbox
/// rows. Returns the incident's id.
std::int64_t OpenPoolIncident(ChangeBy& by, const store::TubeRow& tube);

/// The person is positive: a `positive` incident (parent_id = `parent`, which stays open),
/// the zones the stored policy puts over a positive person (by default: their unit sealed and
/// building controlled), the outbox rows.
std::int64_t EscalatePositive(ChangeBy& by, std::int64_t resident_id,
                              std::optional<std::int64_t> parent, std::optional<std::string> tube);

/// A retest tube of an incident has a result: its members' tasks are done; a positive
/// escalates; a pool_positive incident whose every task has a negative result closes.
void RecordRetestResult(ChangeBy& by, const store::TubeRow& tube, core::TubeResult result);

/// Everything a tube's new standing result sets off: a pooled positive, a single-tube
/// positive, a retest's result. Cheap for a screening negative (nothing is read).
void FollowUpResult(ChangeBy& by, std::string_view barcode, core::TubeResult result,
                    std::optional<std::int64_t> incident_id);

// --- Use cases of people ---

/// An antigen-positive self-test: an open antigen_report incident with its five-item
/// checklist and the person's unit under temporary control. kInvalidField (kind),
/// kForbidden, person look-up errors, kUnknownPerson.
core::Result<Incident> ReportAntigenPositive(store::Tx& tx, const Env& env, const Actor& actor,
                                             const std::string& person, const std::string& kind);

/// A manual incident. kForbidden, kInvalidField (kind), person look-up errors,
/// kUnknownPerson, kUnknownPlace, kMissingField (neither people nor places).
core::Result<Incident> OpenManualIncident(store::Tx& tx, const Env& env, const Actor& actor,
                                          const std::string& kind,
                                          const std::vector<std::string>& people,
                                          const std::vector<std::int64_t>& place_ids,
                                          const std::string& note);

/// Closes by hand. kForbidden, kUnknownIncident, kReasonRequired, kIncidentClosed.
core::Result<Incident> CloseIncident(store::Tx& tx, const Env& env, const Actor& actor,
                                     std::int64_t id, const std::string& reason);

/// Records one checklist item of an antigen report. kForbidden, kUnknownIncident,
/// kInvalidField (item not on the incident's checklist, result), kIncidentClosed.
core::Result<Incident> RecordChecklistItem(store::Tx& tx, const Env& env, const Actor& actor,
                                           std::int64_t id, const std::string& item,
                                           const std::string& result);

/// Closes the incident: status, reason, its temporary zones lifted, timeline.
void CloseIncidentNow(ChangeBy& by, std::int64_t id, const std::string& reason);

// --- Reads and tasks (incident_views.cpp) ---

/// One incident with its timeline, tasks and checklist. kForbidden, kUnknownIncident.
core::Result<Incident> GetIncident(store::Connection& db, const Actor& actor, std::int64_t id);

struct IncidentPage {
  std::vector<Incident> incidents;
  std::optional<std::int64_t> next_cursor;
};

/// Incidents after `cursor` by id, of `status` when set, involving a place or person at or
/// under `place_id` (the actor's scope when none). kForbidden, kUnknownPlace, kInvalidField.
core::Result<IncidentPage> ListIncidents(store::Connection& db, const Actor& actor,
                                         std::optional<std::string> status,
                                         std::optional<std::int64_t> place_id, std::int64_t cursor,
                                         int limit);

/// kForbidden, kUnknownTask, kMissingField (assignee).
core::Result<Task> AssignTask(store::Tx& tx, const Env& env, const Actor& actor, std::int64_t id,
                              const std::string& assignee, std::optional<core::Micros> due_at);

/// Tasks of people at or under `place_id` (the actor's scope when none); `overdue`: open and
/// past due. kForbidden, kUnknownPlace, kInvalidField (status).
core::Result<std::vector<Task>> ListTasks(store::Connection& db, const Env& env, const Actor& actor,
                                          std::optional<std::string> status, bool overdue,
                                          std::optional<std::int64_t> place_id);

/// The incident as answered (detailed: with timeline, tasks and checklist).
Incident IncidentOf(store::Connection& db, std::int64_t id, bool detailed);

}  // namespace swabline::service
