#pragma once
/// For tests only: real .xlsx workbooks written with libxlsxwriter, as Excel would save them.

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace swabline::service::test {

/// A cell: text, or a number as a spreadsheet keeps it (a double).
using XlsxCell = std::variant<std::string, double>;
using XlsxSheet = std::vector<std::vector<XlsxCell>>;

enum class XlsxStrings {
  kShared,  // Excel's way: text in xl/sharedStrings.xml
  kInline,  // streaming writers' way: text inside the cell (libxlsxwriter's constant_memory)
};

/// The bytes of a workbook whose first sheet holds `rows` (row 1 first); `extra` fills a second
/// sheet, which an import must not read.
inline std::string XlsxBytes(const XlsxSheet& rows, XlsxStrings strings = XlsxStrings::kShared,
                             const XlsxSheet& extra = {}) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/swabline-test-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("cannot create a temp file");
  close(fd);
  lxw_workbook_options options{};
  options.constant_memory = strings == XlsxStrings::kInline ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  for (const XlsxSheet* sheet : {&rows, &extra}) {
    if (sheet == &extra && extra.empty()) break;
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    for (std::size_t r = 0; r < sheet->size(); ++r) {
      for (std::size_t c = 0; c < (*sheet)[r].size(); ++c) {
        const auto row = static_cast<lxw_row_t>(r);
        const auto col = static_cast<lxw_col_t>(c);
        const XlsxCell& cell = (*sheet)[r][c];
        if (const auto* text = std::get_if<std::string>(&cell)) {
          if (!text->empty()) worksheet_write_string(ws, row, col, text->c_str(), nullptr);
        } else {
          worksheet_write_number(ws, row, col, std::get<double>(cell), nullptr);
        }
      }
    }
  }
  const lxw_error err = workbook_close(wb);
  std::ifstream f(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << f.rdbuf();
  unlink(path.c_str());
  if (err != LXW_NO_ERROR) throw std::runtime_error(lxw_strerror(err));
  return bytes.str();
}

}  // namespace swabline::service::test
