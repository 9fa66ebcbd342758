#pragma once
/// Rows of incidents: their people and places, their timeline and their antigen checklist
/// (docs/outbreak.md).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct IncidentRow {
  std::int64_t id = 0;
  std::string kind;
  std::string status;
  std::optional<std::string> tube;
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> closed_at;
  std::vector<std::int64_t> people;
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> note;
  std::optional<std::string> closed_reason;
  std::vector<std::int64_t> place_ids;
};

struct NewIncident {
  std::string kind;
  std::optional<std::string> tube;
  std::optional<std::int64_t> round_id;
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> note;
};

std::int64_t InsertIncident(Tx& tx, const std::string& kind, std::int64_t now,
                            const std::vector<std::int64_t>& people);
/// An open incident without people; add them with AddIncidentPerson.
std::int64_t InsertIncident(Tx& tx, const NewIncident& incident, std::int64_t now);
void AddIncidentPerson(Tx& tx, std::int64_t incident_id, std::int64_t resident_id);
void AddIncidentPlace(Tx& tx, std::int64_t incident_id, std::int64_t place_id);
/// AddIncidentPerson and AddIncidentPlace for many, many to a statement.
void AddIncidentPeople(Tx& tx, std::int64_t incident_id, std::span<const std::int64_t> residents);
void AddIncidentPlaces(Tx& tx, std::int64_t incident_id, std::span<const std::int64_t> places);
std::optional<IncidentRow> FindIncident(Connection& db, std::int64_t id);
void CloseIncidentRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now);

struct IncidentFilter {
  std::optional<std::string> status;
  std::string under_id_path;  // "" = anywhere; else a place, a person or zone at or under it
  std::int64_t after_id = 0;
  int limit = 100;
};
/// Incidents by id, oldest first, matching the filter: a page of at most `limit`.
std::vector<IncidentRow> ListIncidentRows(Connection& db, const IncidentFilter& filter);

/// The id_paths of the incident's places and of its people's homes: what scope is checked on.
std::vector<std::string> IncidentIdPaths(Connection& db, std::int64_t incident_id);

struct IncidentEventRow {
  std::int64_t at = 0;
  std::string event;
  std::string detail;
  std::string actor;
};
void AppendIncidentEvent(Tx& tx, std::int64_t incident_id, const IncidentEventRow& event);
std::vector<IncidentEventRow> IncidentEvents(Connection& db, std::int64_t incident_id);

struct ChecklistRow {
  std::string item;
  std::optional<std::int64_t> done_at;
  std::optional<std::string> result;
};
void InsertChecklistItem(Tx& tx, std::int64_t incident_id, std::string_view item);
void SetChecklistResult(Tx& tx, std::int64_t incident_id, std::string_view item,
                        std::string_view result, std::int64_t now);
/// The checklist in insertion order; empty for an incident without one.
std::vector<ChecklistRow> Checklist(Connection& db, std::int64_t incident_id);

}  // namespace swabline::store
