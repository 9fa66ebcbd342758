// The RFC 4180 reader under every CSV upload (core/csv.hpp): whatever it reads, a record
// written back with CsvEscape reads back the same.
#include "core/csv.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace core = swabline::core;

void CheckRoundTrip(const std::vector<std::string>& fields) {
  // One empty field is an empty line, which the reader skips; a record at the limit was cut.
  if (fields.size() == 1 && fields[0].empty()) return;
  if (fields.size() >= core::kMaxCsvFields) return;
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += core::CsvEscape(fields[i]);
  }
  // A leading byte-order mark would be skipped as the file's own.
  if (line.starts_with("\xEF\xBB\xBF")) return;
  core::CsvReader again(line);
  std::vector<std::string> read;
  if (!again.Next(read) || read != fields) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::CsvReader reader(text);
  std::vector<std::string> fields;
  std::size_t last_line = 0;
  while (reader.Next(fields)) {
    if (fields.empty() || fields.size() > core::kMaxCsvFields) std::abort();
    if (reader.line() <= last_line || reader.offset() > text.size()) std::abort();
    last_line = reader.line();
    (void)core::HasNul(fields);
    CheckRoundTrip(fields);
  }
  return 0;
}
