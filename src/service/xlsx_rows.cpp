// The .xlsx reader behind OpenXlsxRows: what a workbook's parts mean — the first sheet found
// through workbook.xml and its relationships, the shared strings, the sheet's rows streamed a
// chunk at a time so that a million-row sheet is never held whole. The zip and XML plumbing is
// in xlsx_zip.cpp.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text_encoding.hpp"
#include "service/roster_rows.hpp"
#include "service/xlsx_zip.hpp"

namespace swabline::service {
namespace {

using xlsx::Attribute;
using xlsx::NotXlsx;
using xlsx::ParseEntry;
using xlsx::XmlHandler;

// Bounds on what a small upload may unpack to (a zip bomb would otherwise hold the writer).
constexpr std::uint64_t kMaxSharedStrings = 1ULL << 30;
constexpr std::uint64_t kMaxSheet = 4ULL << 30;
constexpr std::size_t kMaxColumns = 16384;  // XFD, the last column a sheet has

/// xl/workbook.xml: the relationship id of the first sheet.
struct WorkbookHandler : XmlHandler {
  std::string first_sheet;
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "sheet" && first_sheet.empty()) first_sheet = Attribute(attrs, "id");
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

/// xl/_rels/workbook.xml.rels: where each relationship's part lies.
struct RelsHandler : XmlHandler {
  std::unordered_map<std::string, std::string> targets;
  std::string shared_strings;
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    std::string target = PartPath(Attribute(attrs, "Target"));
    if (Attribute(attrs, "Type").ends_with("/sharedStrings")) shared_strings = target;
    targets.emplace(Attribute(attrs, "Id"), std::move(target));
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}

  // Targets are relative to xl/, or absolute within the package.
  static std::string PartPath(std::string_view target) {
    if (target.starts_with('/')) return std::string(target.substr(1));
    return "xl/" + std::string(target);
  }
};

/// Collects the text of <t> elements, leaving out phonetic runs (<rPh>), as both shared
/// strings (<si>) and inline strings (<is>) hold it.
struct RichText {
  std::string text;
  bool in_t = false;
  int phonetic = 0;
  void Start(std::string_view name) {
    if (name == "rPh") ++phonetic;
    if (name == "t") in_t = true;
  }
  void End(std::string_view name) {
    if (name == "rPh") --phonetic;
    if (name == "t") in_t = false;
  }
  void Text(std::string_view s) {
    if (in_t && phonetic == 0) text.append(s);
  }
};

/// xl/sharedStrings.xml.
struct SharedStringsHandler : XmlHandler {
  std::vector<std::string> strings;
  RichText current;
  void Start(std::string_view name, const XML_Char**) override {
    if (name == "si") current = {};
    current.Start(name);
  }
  void End(std::string_view name) override {
    current.End(name);
    if (name == "si") strings.push_back(std::move(current.text));
  }
  void Text(std::string_view s) override { current.Text(s); }
};

/// 0 for "A1", 27 for "AB3"; `fallback` when the reference has no letters.
std::size_t ColumnOf(std::string_view ref, std::size_t fallback) {
  std::size_t col = 0, letters = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
    ++letters;
  }
  return letters == 0 ? fallback : col - 1;
}

/// A numeric cell as text. A spreadsheet keeps numbers as doubles, exact to 15 digits: an
/// integer below 10^15 (a phone number, a room) is written as its digits; a longer one (an ID
/// number typed into a number cell) has lost its last digits, and is written in scientific
/// notation as Excel shows it, so that it can never pass for an ID number.
std::string NumberText(std::string_view v) {
  double value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(value))
    return std::string(v);
  if (value == std::floor(value)) {
    if (std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    char buf[64];
    auto out = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific, 14);
    std::string text(buf, out.ptr);
    std::replace(text.begin(), text.end(), 'e', 'E');
    return text;
  }
  return std::string(v);
}

struct SheetRow {
  std::size_t line = 0;
  std::vector<std::string> cells;
};

/// The worksheet's <sheetData>, turned into rows as the XML arrives.
struct SheetHandler : XmlHandler {
  const std::vector<std::string>& shared;
  std::deque<SheetRow> ready;
  SheetRow row;
  std::size_t column = 0;
  std::string type, value;
  RichText inline_text;
  bool in_v = false;

  explicit SheetHandler(const std::vector<std::string>& s) : shared(s) {}

  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      const std::string_view r = Attribute(attrs, "r");
      std::size_t number = row.line + 1;
      std::from_chars(r.data(), r.data() + r.size(), number);
      row = {number, {}};
    } else if (name == "c") {
      column = ColumnOf(Attribute(attrs, "r"), row.cells.size());
      type = Attribute(attrs, "t");
      value.clear();
      inline_text = {};
    } else if (name == "v") {
      in_v = true;
    } else {
      inline_text.Start(name);
    }
  }

  void End(std::string_view name) override {
    if (name == "v") {
      in_v = false;
    } else if (name == "c") {
      if (column < kMaxColumns) {
        if (row.cells.size() <= column) row.cells.resize(column + 1);
        row.cells[column] = CellText();
      }
    } else if (name == "row") {
      const bool empty = std::all_of(row.cells.begin(), row.cells.end(),
                                     [](const std::string& c) { return c.empty(); });
      if (!empty) ready.push_back(std::move(row));
    } else {
      inline_text.End(name);
    }
  }

  void Text(std::string_view s) override {
    if (in_v) value.append(s);
    inline_text.Text(s);
  }

  std::string CellText() const {
    if (type == "s") {
      std::size_t i = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
      return ec == std::errc() && i < shared.size() ? shared[i] : std::string();
    }
    if (type == "inlineStr") return inline_text.text;
    if (type == "b") return value == "1" ? "TRUE" : "FALSE";
    if (type == "str" || type == "e") return value;
    return NumberText(value);
  }
};

class XlsxRows : public RosterRows {
 public:
  XlsxRows(xlsx::Zip zip, std::vector<std::string> shared, const std::string& sheet)
      : zip_(std::move(zip)),
        shared_(std::move(shared)),
        sheet_(zip_.get(), sheet, kMaxSheet),
        handler_(shared_),
        parser_(xlsx::NewParser(handler_)) {}

  bool found() const { return sheet_.found(); }

  bool Next(std::vector<std::string>& fields) override {
    while (handler_.ready.empty() && !done_) Feed();
    if (handler_.ready.empty()) {
      fields.clear();
      return false;
    }
    line_ = handler_.ready.front().line;
    fields = std::move(handler_.ready.front().cells);
    handler_.ready.pop_front();
    if (!std::all_of(fields.begin(), fields.end(), core::IsValidUtf8)) {
      // expat hands out UTF-8 only; this holds the promise should that ever change.
      error_ = NotXlsx("row " + std::to_string(line_) + " holds text that is not UTF-8");
      done_ = true;
      return false;
    }
    return true;
  }
  std::size_t line() const override { return line_; }
  double progress() const override { return sheet_.progress(); }
  std::string_view encoding() const override { return "utf-8"; }
  std::optional<core::Error> error() const override { return error_; }

 private:
  void Feed() {
    auto n = sheet_.Read(buffer_);
    if (!n) {
      error_ = n.error();
      done_ = true;
      return;
    }
    if (XML_Parse(parser_.get(), buffer_.data(), static_cast<int>(*n), *n == 0) != XML_STATUS_OK) {
      error_ = NotXlsx(xlsx::XmlError(parser_.get(), sheet_.name()));
      done_ = true;
    }
    if (*n == 0) done_ = true;
  }

  xlsx::Zip zip_;
  std::vector<std::string> shared_;
  xlsx::ZipEntry sheet_;
  SheetHandler handler_;
  xlsx::Parser parser_;
  std::vector<char> buffer_;
  std::size_t line_ = 0;
  bool done_ = false;
  std::optional<core::Error> error_;
};

}  // namespace

core::Result<std::unique_ptr<RosterRows>> OpenXlsxRows(std::string_view bytes) {
  xlsx::Zip zip;
  SWB_TRY_ASSIGN(zip, xlsx::OpenZip(bytes));
  WorkbookHandler workbook;
  SWB_TRY(ParseEntry(zip.get(), "xl/workbook.xml", workbook, kMaxSharedStrings));
  RelsHandler rels;
  SWB_TRY(ParseEntry(zip.get(), "xl/_rels/workbook.xml.rels", rels, kMaxSharedStrings));
  auto sheet = rels.targets.find(workbook.first_sheet);
  if (workbook.first_sheet.empty() || sheet == rels.targets.end())
    return NotXlsx("its workbook names no worksheet");
  SharedStringsHandler shared;
  if (!rels.shared_strings.empty())
    SWB_TRY(
        ParseEntry(zip.get(), rels.shared_strings, shared, kMaxSharedStrings, /*optional=*/true));
  auto rows = std::make_unique<XlsxRows>(std::move(zip), std::move(shared.strings), sheet->second);
  if (!rows->found()) return NotXlsx("it has no " + sheet->second);
  return std::unique_ptr<RosterRows>(std::move(rows));
}

}  // namespace swabline::service
