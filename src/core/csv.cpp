#include "core/csv.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

namespace swabline::core {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

bool EndsUnquotedField(char c) { return c == ',' || c == '\n' || c == '\r'; }

// Returns the slot for field `index`, reusing a string left from an earlier record so that a
// long file is read without allocating per field.
std::string& FieldSlot(std::vector<std::string>& fields, std::size_t index) {
  if (index < fields.size()) {
    fields[index].clear();
    return fields[index];
  }
  return fields.emplace_back();
}

// Appends the quoted text starting at `pos` (just after the opening quote) to `field`, turning
// "" into ", and counts the line breaks it holds. Returns the position after the closing quote;
// an unterminated quote takes the rest of the input.
std::size_t ReadQuoted(std::string_view text, std::size_t pos, std::string& field,
                       std::size_t& line) {
  const std::size_t end = text.size();
  const char* const data = text.data();
  for (;;) {
    const auto* quote = static_cast<const char*>(std::memchr(data + pos, '"', end - pos));
    const std::size_t stop = quote == nullptr ? end : static_cast<std::size_t>(quote - data);
    for (std::size_t i = pos; i < stop; ++i) {
      // A CRLF inside quotes is one line; its CR is not counted on its own.
      if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= end || data[i + 1] != '\n'))) ++line;
    }
    field.append(data + pos, stop - pos);
    if (quote == nullptr) return end;
    pos = stop + 1;
    if (pos >= end || data[pos] != '"') return pos;
    field.push_back('"');
    ++pos;
  }
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) pos_ = kUtf8Bom.size();
}

bool CsvReader::Next(std::vector<std::string>& fields) {
  const std::size_t end = text_.size();
  const char* const data = text_.data();

  // Consumes one line break (CRLF, LF or a lone CR) at pos_.
  auto consume_line_break = [&] {
    if (data[pos_] == '\r' && pos_ + 1 < end && data[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++current_line_;
  };

  while (pos_ < end && IsLineBreak(data[pos_])) consume_line_break();
  if (pos_ >= end) {
    fields.clear();
    return false;
  }
  record_line_ = current_line_;

  std::size_t count = 0;
  for (;;) {
    std::string& field = count < kMaxCsvFields ? FieldSlot(fields, count) : dropped_;
    if (count++ >= kMaxCsvFields) dropped_.clear();
    if (pos_ < end && data[pos_] == '"') pos_ = ReadQuoted(text_, pos_ + 1, field, current_line_);
    // Unquoted text, or stray text after a closing quote (kept as written, as most readers do).
    const std::size_t start = pos_;
    while (pos_ < end && !EndsUnquotedField(data[pos_])) ++pos_;
    field.append(data + start, pos_ - start);

    if (pos_ >= end) break;
    if (data[pos_] == ',') {
      ++pos_;
      continue;
    }
    consume_line_break();
    break;
  }
  fields.resize(std::min(count, kMaxCsvFields));
  return true;
}

bool HasNul(const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (f.find('\0') != std::string::npos) return true;
  return false;
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace swabline::core
