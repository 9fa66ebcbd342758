#pragma once
/// Spreadsheet exports (XLSX through libxlsxwriter), for teams that print or sort in Excel/WPS.

#include <string>
#include <vector>

namespace swabline::http {

/// One sheet: a bold header row, then the rows. Returns the .xlsx bytes.
/// Throws std::runtime_error when the library fails (disk full in the temp folder).
std::string XlsxTable(const std::string& sheet_name, const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows);

inline constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace swabline::http
