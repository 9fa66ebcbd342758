#pragma once
/// Downloads of lists as CSV or XLSX: every export is built here, from one table (a header and
/// rows of text), so that the two formats cannot drift apart.

#include <cstdint>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "service/coverage.hpp"

namespace swabline::http {

enum class ExportFormat { kJson, kCsv, kXlsx };

/// What the request asks for: XLSX (Accept: …spreadsheetml… or ?format=xlsx), CSV
/// (Accept: text/csv or ?format=csv), JSON otherwise.
ExportFormat WantedFormat(const Request& req);

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// The table as an attachment named `file` (without its extension) in `format`.
/// REQUIRES: format is kCsv or kXlsx.
Reply ExportReply(ExportFormat format, const std::string& file, const std::string& sheet,
                  const Table& table);

/// The missing list of `round` as a table: id, name, masked ID number, phone, address, tags.
Table MissingTable(const service::MissingPage& page);

}  // namespace swabline::http
