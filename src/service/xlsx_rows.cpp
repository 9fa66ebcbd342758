// The .xlsx reader behind OpenXlsxRows: libzip opens the workbook in memory, expat parses its
// XML, the worksheet streamed a chunk at a time so that a million-row sheet is never held
// whole.

#include <expat.h>
#include <zip.h>

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

namespace swabline::service {
namespace {

using core::ErrorCode;

constexpr std::size_t kChunk = 1 << 16;
// Bounds on what a small upload may unpack to (a zip bomb would otherwise hold the writer).
constexpr std::uint64_t kMaxSharedStrings = 1ULL << 30;
constexpr std::uint64_t kMaxSheet = 4ULL << 30;
constexpr std::size_t kMaxColumns = 16384;  // XFD, the last column a sheet has

core::Error NotXlsx(const std::string& why) {
  return core::Fail(ErrorCode::kInvalidRequest,
                    "the file is not a readable .xlsx workbook: " + why);
}

std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

/// The value of the attribute whose local name is `local` (any prefix), or "".
std::string_view Attribute(const XML_Char** attrs, std::string_view local) {
  for (std::size_t i = 0; attrs[i] != nullptr; i += 2)
    if (LocalName(attrs[i]) == local) return attrs[i + 1];
  return {};
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};
using Parser = std::unique_ptr<XML_ParserStruct, ParserFree>;

/// Element and text callbacks of one parse; expat calls them through these trampolines.
struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;
};

Parser NewParser(XmlHandler& handler) {
  Parser p(XML_ParserCreate(nullptr));
  if (!p) throw std::bad_alloc();
  XML_SetUserData(p.get(), &handler);
  XML_SetElementHandler(
      p.get(),
      [](void* h, const XML_Char* name, const XML_Char** attrs) {
        static_cast<XmlHandler*>(h)->Start(LocalName(name), attrs);
      },
      [](void* h, const XML_Char* name) { static_cast<XmlHandler*>(h)->End(LocalName(name)); });
  XML_SetCharacterDataHandler(p.get(), [](void* h, const XML_Char* s, int len) {
    static_cast<XmlHandler*>(h)->Text(std::string_view(s, static_cast<std::size_t>(len)));
  });
  return p;
}

std::string XmlError(XML_Parser p, std::string_view entry) {
  return std::string(entry) + " line " + std::to_string(XML_GetCurrentLineNumber(p)) + ": " +
         XML_ErrorString(XML_GetErrorCode(p));
}

/// An entry of the zip, read a chunk at a time.
class ZipEntry {
 public:
  ZipEntry(zip_t* zip, std::string name, std::uint64_t limit)
      : name_(std::move(name)), limit_(limit) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, name_.c_str(), 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) size_ = st.size;
    file_.reset(zip_fopen(zip, name_.c_str(), 0));
  }
  bool found() const { return file_ != nullptr; }
  const std::string& name() const { return name_; }

  /// Reads the next chunk into `buffer`; an empty chunk is the end. Fails on a damaged entry.
  core::Result<std::size_t> Read(std::vector<char>& buffer) {
    buffer.resize(kChunk);
    const zip_int64_t n = zip_fread(file_.get(), buffer.data(), buffer.size());
    if (n < 0) return NotXlsx(name_ + " is damaged (" + zip_file_strerror(file_.get()) + ")");
    read_ += static_cast<std::uint64_t>(n);
    if (read_ > limit_) return NotXlsx(name_ + " unpacks to more than this server reads");
    return static_cast<std::size_t>(n);
  }
  double progress() const {
    return size_ == 0 ? 0.0
                      : std::min(1.0, static_cast<double>(read_) / static_cast<double>(size_));
  }

 private:
  std::string name_;
  std::uint64_t limit_;
  std::uint64_t size_ = 0;
  std::uint64_t read_ = 0;
  std::unique_ptr<zip_file_t, ZipFileCloser> file_;
};

/// Parses a whole entry. Fails when it is missing (unless `optional`), damaged or not XML.
core::Status ParseEntry(zip_t* zip, const std::string& name, XmlHandler& handler,
                        bool optional = false, std::uint64_t limit = kMaxSharedStrings) {
  ZipEntry entry(zip, name, limit);
  if (!entry.found()) {
    if (optional) return core::Ok{};
    return NotXlsx("it has no " + name);
  }
  Parser parser = NewParser(handler);
  std::vector<char> buffer;
  for (;;) {
    std::size_t n = 0;
    SWB_TRY_ASSIGN(n, entry.Read(buffer));
    if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(n), n == 0) != XML_STATUS_OK)
      return NotXlsx(XmlError(parser.get(), name));
    if (n == 0) return core::Ok{};
  }
}

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
  XlsxRows(std::unique_ptr<zip_t, ZipCloser> zip, std::vector<std::string> shared,
           const std::string& sheet)
      : zip_(std::move(zip)),
        shared_(std::move(shared)),
        sheet_(zip_.get(), sheet, kMaxSheet),
        handler_(shared_),
        parser_(NewParser(handler_)) {}

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
      error_ = NotXlsx(XmlError(parser_.get(), sheet_.name()));
      done_ = true;
    }
    if (*n == 0) done_ = true;
  }

  std::unique_ptr<zip_t, ZipCloser> zip_;
  std::vector<std::string> shared_;
  ZipEntry sheet_;
  SheetHandler handler_;
  Parser parser_;
  std::vector<char> buffer_;
  std::size_t line_ = 0;
  bool done_ = false;
  std::optional<core::Error> error_;
};

core::Result<std::unique_ptr<zip_t, ZipCloser>> OpenZip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) throw std::bad_alloc();
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return NotXlsx("not a zip archive (" + why + ")");
  }
  zip_error_fini(&error);
  return std::unique_ptr<zip_t, ZipCloser>(zip);
}

}  // namespace

core::Result<std::unique_ptr<RosterRows>> OpenXlsxRows(std::string_view bytes) {
  std::unique_ptr<zip_t, ZipCloser> zip;
  SWB_TRY_ASSIGN(zip, OpenZip(bytes));
  WorkbookHandler workbook;
  SWB_TRY(ParseEntry(zip.get(), "xl/workbook.xml", workbook));
  RelsHandler rels;
  SWB_TRY(ParseEntry(zip.get(), "xl/_rels/workbook.xml.rels", rels));
  auto sheet = rels.targets.find(workbook.first_sheet);
  if (workbook.first_sheet.empty() || sheet == rels.targets.end())
    return NotXlsx("its workbook names no worksheet");
  SharedStringsHandler shared;
  if (!rels.shared_strings.empty())
    SWB_TRY(ParseEntry(zip.get(), rels.shared_strings, shared, /*optional=*/true));
  auto rows = std::make_unique<XlsxRows>(std::move(zip), std::move(shared.strings), sheet->second);
  if (!rows->found()) return NotXlsx("it has no " + sheet->second);
  return std::unique_ptr<RosterRows>(std::move(rows));
}

}  // namespace swabline::service
