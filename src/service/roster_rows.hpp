#pragma once
/// The rows of an uploaded resident roster, whatever the file: CSV text in UTF-8 or
/// GB18030/GBK, or the first worksheet of an .xlsx workbook. Every field is valid UTF-8.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace swabline::service {

inline constexpr std::string_view kXlsxMediaType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// How every .xlsx (a zip) begins.
inline constexpr std::string_view kZipMagic = "PK\x03\x04";

class RosterRows {
 public:
  virtual ~RosterRows() = default;

  /// Reads the next record into `fields` (cleared first). Returns false at the end, or when
  /// reading stopped on broken content (then error() says why). Empty records are skipped.
  virtual bool Next(std::vector<std::string>& fields) = 0;
  /// The 1-based line (CSV) or sheet row (XLSX) of the record Next() returned last.
  virtual std::size_t line() const = 0;
  /// How much of the file has been read, from 0 to 1.
  virtual double progress() const = 0;
  /// The encoding the text was read in: "utf-8", "utf-8-bom" or "gb18030".
  virtual std::string_view encoding() const = 0;
  /// Set when reading stopped on broken content rather than at the end of the file.
  virtual std::optional<core::Error> error() const { return std::nullopt; }
};

/// CSV bytes in UTF-8 (a byte-order mark is skipped) or GB18030/GBK. `bytes` must outlive the
/// rows. Fails with kUnsupportedEncoding, naming the line, for any other encoding, and with
/// kUnsupportedMediaType for a workbook.
core::Result<std::unique_ptr<RosterRows>> OpenCsvRows(std::string_view bytes);

/// The first worksheet of an .xlsx workbook held in memory (`bytes` must outlive the rows):
/// shared and inline strings as text, numbers written out as text (an integer below 10^15 as
/// its digits; a longer one, which a spreadsheet cannot hold exactly, in scientific notation).
/// Fails with kInvalidRequest when the bytes are not such a workbook.
core::Result<std::unique_ptr<RosterRows>> OpenXlsxRows(std::string_view bytes);

}  // namespace swabline::service
