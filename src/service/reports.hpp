#pragma once
/// Residents' reports (POST /reports): see ReportAntigenPositive in service/incidents.hpp.

#include "service/incidents.hpp"
