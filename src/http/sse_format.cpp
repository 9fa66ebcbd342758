#include "http/sse_format.hpp"

#include <string_view>

#include "core/civil_time.hpp"

namespace swabline::http {
namespace {

using core::LiveEventKind;

/// The member that names what the event is about.
std::string_view SubjectField(LiveEventKind kind) {
  switch (kind) {
    case LiveEventKind::kSamples:
    case LiveEventKind::kTubesSealed:
    case LiveEventKind::kResults: return "site_id";
    case LiveEventKind::kIncidentOpened:
    case LiveEventKind::kIncidentClosed: return "incident_id";
    case LiveEventKind::kZoneStarted:
    case LiveEventKind::kZoneLifted: return "zone_id";
    case LiveEventKind::kTaskOverdue:
    case LiveEventKind::kTaskDone: return "task_id";
    case LiveEventKind::kRequestOpened:
    case LiveEventKind::kRequestClosed: return "request_id";
  }
  return "id";
}

/// The member the event's label goes in, or "" when it has none.
std::string_view LabelField(LiveEventKind kind) {
  switch (kind) {
    case LiveEventKind::kIncidentOpened:
    case LiveEventKind::kIncidentClosed: return "kind";
    case LiveEventKind::kZoneStarted:
    case LiveEventKind::kZoneLifted: return "level";
    case LiveEventKind::kRequestOpened:
    case LiveEventKind::kRequestClosed: return "category";
    default: return "";
  }
}

void Member(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

}  // namespace

void AppendSseEvent(std::string& out, const core::LiveEvent& e) {
  out += "id: ";
  out += std::to_string(e.id);
  out += "\nevent: ";
  out += core::LiveEventName(e.kind);
  out += "\ndata: {";
  Member(out, SubjectField(e.kind));
  out += std::to_string(e.subject);
  out += ',';
  Member(out, "place_id");
  out += std::to_string(e.PlaceId());
  out += ',';
  Member(out, "community_id");
  const auto community = e.CommunityId();
  out += community ? std::to_string(*community) : "null";
  out += ',';
  Member(out, "count");
  out += std::to_string(e.count);
  if (e.kind == LiveEventKind::kResults) {
    out += ',';
    Member(out, "positives");
    out += std::to_string(e.positives);
  }
  // Labels are the core enums' own names: nothing in them needs escaping.
  if (const std::string_view field = LabelField(e.kind); !field.empty() && !e.label.empty()) {
    out += ',';
    Member(out, field);
    out += '"';
    out += e.label;
    out += '"';
  }
  out += ',';
  Member(out, "at");
  out += '"';
  out += core::FormatRfc3339(e.at);
  out += "\"}\n\n";
}

void AppendSseReset(std::string& out, std::uint64_t newest) {
  out += "id: ";
  out += std::to_string(newest);
  out += "\nevent: reset\ndata: {}\n\n";
}

void AppendSseRetry(std::string& out, int retry_ms) {
  out += "retry: ";
  out += std::to_string(retry_ms);
  out += "\n\n";
}

void AppendSseHeartbeat(std::string& out) { out += ": heartbeat\n\n"; }

}  // namespace swabline::http
