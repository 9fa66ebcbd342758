#pragma once
/// An RFC 4180 CSV reader over text in memory: quoted fields with "" escapes and embedded
/// newlines, CRLF or LF line ends, a UTF-8 byte-order mark at the start skipped.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace swabline::core {

/// A record keeps at most this many fields: one of a million commas costs no more memory than
/// this. Readers treat a record of this many as too wide (a far wider row than any header).
inline constexpr std::size_t kMaxCsvFields = 1024;

/// True when a field holds U+0000, which no reader of ours stores (`nul_character`).
bool HasNul(const std::vector<std::string>& fields);

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  /// Reads the next record into `fields` (cleared first). Returns false at the end of input.
  /// Empty lines are skipped. A record always has at least one field, and at most
  /// kMaxCsvFields: the rest of a wider one is read and dropped.
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
  std::string dropped_;  // a field past kMaxCsvFields, read and dropped
};

/// Quotes a field for CSV output when it holds a comma, quote, CR or LF.
std::string CsvEscape(std::string_view field);

}  // namespace swabline::core
