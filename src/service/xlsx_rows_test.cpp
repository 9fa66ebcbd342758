#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "service/roster_rows.hpp"
#include "support/service/xlsx_test_support.hpp"

namespace swabline::service {
namespace {

using test::XlsxBytes;
using test::XlsxSheet;
using test::XlsxStrings;
using Row = std::vector<std::string>;

struct ReadRow {
  std::size_t line;
  Row cells;
  friend bool operator==(const ReadRow&, const ReadRow&) = default;
};

std::vector<ReadRow> ReadAll(std::string_view bytes) {
  auto rows = OpenXlsxRows(bytes);
  EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().detail);
  std::vector<ReadRow> out;
  if (!rows.ok()) return out;
  Row cells;
  while ((*rows)->Next(cells)) out.push_back({(*rows)->line(), cells});
  EXPECT_FALSE((*rows)->error().has_value()) << (*rows)->error()->detail;
  EXPECT_DOUBLE_EQ((*rows)->progress(), 1.0);
  return out;
}

TEST(XlsxRows, ReadsSharedStringsWithChineseText) {
  const std::string bytes = XlsxBytes(
      {{std::string("身份证号"), std::string("姓名")}, {std::string("110"), std::string("张三")}});
  EXPECT_EQ(ReadAll(bytes),
            (std::vector<ReadRow>{{1, {"身份证号", "姓名"}}, {2, {"110", "张三"}}}));
  auto rows = OpenXlsxRows(bytes);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->encoding(), "utf-8");
}

TEST(XlsxRows, ReadsInlineStrings) {
  const std::string bytes =
      XlsxBytes({{std::string("name")}, {std::string("李四 & <O'Brien>")}}, XlsxStrings::kInline);
  EXPECT_EQ(ReadAll(bytes), (std::vector<ReadRow>{{1, {"name"}}, {2, {"李四 & <O'Brien>"}}}));
}

TEST(XlsxRows, WritesNumbersAsTheirDigits) {
  const std::string bytes = XlsxBytes({{13800000001.0, 101.0, 3.5, -7.0}});
  EXPECT_EQ(ReadAll(bytes), (std::vector<ReadRow>{{1, {"13800000001", "101", "3.5", "-7"}}}));
}

TEST(XlsxRows, WritesANumberTooLongForASpreadsheetInScientificNotation) {
  // An 18-digit ID number typed into a number cell: the double cannot hold its last digits.
  const std::string bytes = XlsxBytes({{110105199003071234.0, 110105900307123.0}});
  const auto rows = ReadAll(bytes);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells[0], "1.10105199003071E+17");
  EXPECT_EQ(rows[0].cells[1], "110105900307123") << "15 digits are still exact";
}

TEST(XlsxRows, KeepsGapsAsEmptyCellsAndSkipsEmptyRows) {
  const std::string bytes = XlsxBytes({{std::string("a"), std::string(""), std::string("c")},
                                       {},
                                       {std::string(""), std::string("b")}});
  EXPECT_EQ(ReadAll(bytes), (std::vector<ReadRow>{{1, {"a", "", "c"}}, {3, {"", "b"}}}));
}

TEST(XlsxRows, ReadsOnlyTheFirstWorksheet) {
  const std::string bytes =
      XlsxBytes({{std::string("first")}}, XlsxStrings::kShared, {{std::string("second")}});
  EXPECT_EQ(ReadAll(bytes), (std::vector<ReadRow>{{1, {"first"}}}));
}

TEST(XlsxRows, RefusesBytesThatAreNoWorkbook) {
  for (std::string_view bytes : {std::string_view("id_number,name\n"), std::string_view("")}) {
    auto rows = OpenXlsxRows(bytes);
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.error().code, core::ErrorCode::kInvalidRequest);
    EXPECT_NE(rows.error().detail.find(".xlsx"), std::string::npos) << rows.error().detail;
  }
}

TEST(XlsxRows, StopsWithAnErrorOnATruncatedWorkbook) {
  std::string bytes = XlsxBytes({{std::string("a")}});
  bytes.resize(bytes.size() / 2);
  auto rows = OpenXlsxRows(bytes);
  ASSERT_FALSE(rows.ok()) << "the zip's directory is at its end";
  EXPECT_EQ(rows.error().code, core::ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace swabline::service
