#include "http/outbreak_json.hpp"

#include "core/civil_time.hpp"
#include "http/json_body.hpp"

namespace swabline::http {
namespace json = boost::json;

namespace {

json::value OptId(std::optional<std::int64_t> id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::value OptText(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

json::object ZoneJson(const service::Zone& z) {
  return json::object{{"id", z.id},
                      {"place_id", z.place_id},
                      {"level", z.level},
                      {"incident_id", OptId(z.incident_id)},
                      {"reason", z.reason},
                      {"started_at", core::FormatRfc3339(z.started_at)},
                      {"lifted_at", TimeJson(z.lifted_at)},
                      {"stepped_down_from", z.stepped_down_from ? json::value(*z.stepped_down_from)
                                                                : json::value(nullptr)}};
}

json::object TaskJson(const service::Task& t) {
  return json::object{{"id", t.id},
                      {"incident_id", t.incident_id},
                      {"kind", t.kind},
                      {"person", PersonBriefJson(t.person)},
                      {"status", t.status},
                      {"door_to_door", t.door_to_door},
                      {"assignee", OptText(t.assignee)},
                      {"due_at", core::FormatRfc3339(t.due_at)}};
}

json::object IncidentJson(const service::Incident& i) {
  json::array people, places, zones;
  for (const auto& p : i.people) people.emplace_back(PersonBriefJson(p));
  for (auto id : i.place_ids) places.emplace_back(id);
  for (const auto& z : i.zones) zones.emplace_back(ZoneJson(z));
  json::object o;
  o["id"] = i.id;
  o["kind"] = i.kind;
  o["status"] = i.status;
  o["tube"] = OptText(i.tube);
  o["people"] = std::move(people);
  o["place_ids"] = std::move(places);
  o["zones"] = std::move(zones);
  o["opened_at"] = core::FormatRfc3339(i.opened_at);
  o["closed_at"] = TimeJson(i.closed_at);
  o["parent_id"] = OptId(i.parent_id);
  o["note"] = OptText(i.note);
  o["closed_reason"] = OptText(i.closed_reason);
  if (!i.detailed) return o;
  json::array timeline, tasks;
  for (const auto& e : i.timeline)
    timeline.emplace_back(json::object{{"at", core::FormatRfc3339(e.at)},
                                       {"event", e.event},
                                       {"detail", e.detail},
                                       {"actor", e.actor}});
  for (const auto& t : i.tasks) tasks.emplace_back(TaskJson(t));
  o["timeline"] = std::move(timeline);
  o["tasks"] = std::move(tasks);
  if (i.kind == "antigen_report") {
    json::array checklist;
    for (const auto& c : i.checklist)
      checklist.emplace_back(json::object{
          {"item", c.item}, {"done_at", TimeJson(c.done_at)}, {"result", OptText(c.result)}});
    o["checklist"] = std::move(checklist);
  }
  return o;
}

}  // namespace swabline::http
