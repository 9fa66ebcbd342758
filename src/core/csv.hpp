#pragma once
/// An RFC 4180 CSV reader over text in memory: quoted fields with "" escapes and embedded
/// newlines, CRLF or LF line ends, a UTF-8 byte-order mark at the start skipped.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace swabline::core {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  /// Reads the next record into `fields` (cleared first). Returns false at the end of input.
  /// Empty lines are skipped. A record always has at least one field.
  bool Next(std::vector<std::string>& fields);

  /// The 1-based line number on which the last record returned by Next() started.
  std::size_t line() const { return record_line_; }

  /// How many bytes of the text have been read (for progress).
  std::size_t offset() const { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t current_line_ = 1;
  std::size_t record_line_ = 0;
};

/// Quotes a field for CSV output when it holds a comma, quote, CR or LF.
std::string CsvEscape(std::string_view field);

}  // namespace swabline::core
