#pragma once
/// Incidents, zones and tasks as docs/openapi.yaml shows them (tag outbreak).

#include <boost/json.hpp>

#include "service/incidents.hpp"

namespace swabline::http {

boost::json::object ZoneJson(const service::Zone& z);
boost::json::object TaskJson(const service::Task& t);
/// With timeline, tasks and (antigen reports) checklist when the incident is `detailed`.
boost::json::object IncidentJson(const service::Incident& i);

}  // namespace swabline::http
