#include "http/exports.hpp"

#include "core/csv.hpp"
#include "http/xlsx.hpp"

namespace swabline::http {

namespace {

/// A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one) kept
/// as text by a leading apostrophe, as OWASP's advice on CSV injection has it: a resident's
/// name or address is typed by someone else, and opening the export must not run it.
std::string Neutralised(std::string_view field) {
  if (field.empty() || std::string_view("=+-@\t\r").find(field.front()) == std::string_view::npos)
    return std::string(field);
  return "'" + std::string(field);
}

std::string CsvText(const Table& table) {
  std::string body;
  auto line = [&body](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) body += ',';
      body += core::CsvEscape(Neutralised(fields[i]));
    }
    body += '\n';
  };
  line(table.header);
  for (const auto& row : table.rows) line(row);
  return body;
}

std::string Tags(const core::Resident& r) {
  std::string t;
  for (const auto& tag : r.tags) t += (t.empty() ? "" : ";") + tag;
  return t;
}

}  // namespace

ExportFormat WantedFormat(const Request& req) {
  if (req.accept.find("spreadsheetml") != std::string::npos || req.Query("format") == "xlsx")
    return ExportFormat::kXlsx;
  if (req.WantsCsv()) return ExportFormat::kCsv;
  return ExportFormat::kJson;
}

Reply ExportReply(ExportFormat format, const std::string& file, const std::string& sheet,
                  const Table& table) {
  Reply reply;
  const bool csv = format == ExportFormat::kCsv;
  reply.content_type = csv ? "text/csv; charset=utf-8" : kXlsxType;
  reply.body = csv ? CsvText(table) : XlsxTable(sheet, table.header, table.rows);
  reply.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + file + (csv ? ".csv" : ".xlsx") + "\"");
  return reply;
}

Table MissingTable(const service::MissingPage& page) {
  Table table{{"id", "name", "id_number_masked", "phone", "address", "tags"}, {}};
  table.rows.reserve(page.people.size());
  for (const auto& r : page.people)
    table.rows.push_back(
        {std::to_string(r.id), r.name, r.id_number_masked, r.phone, r.address, Tags(r)});
  return table;
}

}  // namespace swabline::http
