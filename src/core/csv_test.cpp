#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace swabline::core {
namespace {

using Fields = std::vector<std::string>;

struct Record {
  std::size_t line;
  Fields fields;
  friend bool operator==(const Record&, const Record&) = default;
};

void PrintTo(const Record& r, std::ostream* os) {
  *os << "line " << r.line << ": [";
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    *os << (i ? ", " : "") << '"' << r.fields[i] << '"';
  }
  *os << "]";
}

std::vector<Record> ReadAll(std::string_view text) {
  CsvReader reader(text);
  std::vector<Record> records;
  Fields fields;
  while (reader.Next(fields)) records.push_back({reader.line(), fields});
  return records;
}

TEST(CsvReader, ReadsSimpleRecords) {
  EXPECT_EQ(ReadAll("name,id\nWang,1\nLi,2\n"),
            (std::vector<Record>{{1, {"name", "id"}}, {2, {"Wang", "1"}}, {3, {"Li", "2"}}}));
}

TEST(CsvReader, ReadsLastRecordWithoutTrailingNewline) {
  EXPECT_EQ(ReadAll("a,b\nc,d"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"c", "d"}}}));
}

TEST(CsvReader, ReturnsNothingForEmptyInput) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\n\n\r\n").empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, UnquotesQuotedFields) {
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"),
            (std::vector<Record>{{1, {"a,b", "say \"hi\"", ""}}}));
}

TEST(CsvReader, KeepsQuotesInsideUnquotedFields) {
  EXPECT_EQ(ReadAll("ab\"c,d\n"), (std::vector<Record>{{1, {"ab\"c", "d"}}}));
}

TEST(CsvReader, KeepsTextAfterClosingQuote) {
  EXPECT_EQ(ReadAll("\"ab\"cd,e\n"), (std::vector<Record>{{1, {"abcd", "e"}}}));
}

TEST(CsvReader, EmbeddedNewlineAdvancesLineNumbers) {
  EXPECT_EQ(ReadAll("h1,h2\n\"two\nlines\",x\nnext,y\n\"crlf\r\ninside\",z\r\nlast,w\n"),
            (std::vector<Record>{{1, {"h1", "h2"}},
                                 {2, {"two\nlines", "x"}},
                                 {4, {"next", "y"}},
                                 {5, {"crlf\r\ninside", "z"}},
                                 {7, {"last", "w"}}}));
}

TEST(CsvReader, SkipsByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFname,id\nWang,1\n"),
            (std::vector<Record>{{1, {"name", "id"}}, {2, {"Wang", "1"}}}));
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF\"quoted\"\n"), (std::vector<Record>{{1, {"quoted"}}}));
}

TEST(CsvReader, KeepsByteOrderMarkAfterTheStart) {
  EXPECT_EQ(ReadAll("a\n\xEF\xBB\xBF"
                    "b\n"),
            (std::vector<Record>{{1, {"a"}},
                                 {2,
                                  {"\xEF\xBB\xBF"
                                   "b"}}}));
}

TEST(CsvReader, ReadsCrlfLineEnds) {
  EXPECT_EQ(ReadAll("a,b\r\nc,d\r\n"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"c", "d"}}}));
}

TEST(CsvReader, TreatsLoneCarriageReturnAsLineEnd) {
  EXPECT_EQ(ReadAll("a\rb\r"), (std::vector<Record>{{1, {"a"}}, {2, {"b"}}}));
}

TEST(CsvReader, SkipsBlankLinesButCountsThem) {
  EXPECT_EQ(ReadAll("\na,b\n\n\r\nc,d\n\n"),
            (std::vector<Record>{{2, {"a", "b"}}, {5, {"c", "d"}}}));
}

TEST(CsvReader, KeepsEmptyFields) {
  EXPECT_EQ(ReadAll(",,\na,,b\n"), (std::vector<Record>{{1, {"", "", ""}}, {2, {"a", "", "b"}}}));
}

TEST(CsvReader, TrailingCommaGivesEmptyLastField) {
  EXPECT_EQ(ReadAll("a,b,\nc,\r\nd,"),
            (std::vector<Record>{{1, {"a", "b", ""}}, {2, {"c", ""}}, {3, {"d", ""}}}));
}

TEST(CsvReader, KeepsWhitespaceInFields) {
  EXPECT_EQ(ReadAll(" a , b\n \n"), (std::vector<Record>{{1, {" a ", " b"}}, {2, {" "}}}));
}

TEST(CsvReader, UnterminatedQuoteTakesRestOfInput) {
  EXPECT_EQ(ReadAll("a,\"open\nstill,open\n"),
            (std::vector<Record>{{1, {"a", "open\nstill,open\n"}}}));
}

TEST(CsvReader, ClearsFieldsFromEarlierRecord) {
  CsvReader reader("a,b,c\nd\n");
  Fields fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (Fields{"a", "b", "c"}));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (Fields{"d"}));
  EXPECT_FALSE(reader.Next(fields));
  EXPECT_EQ(reader.line(), 2U);
}

TEST(CsvReader, ReadsManyRowsWithRightLineNumbers) {
  constexpr std::size_t kRows = 100'000;
  std::string text = "id,name,note\n";
  for (std::size_t i = 0; i < kRows; ++i) {
    text += std::to_string(i) + ",name " + std::to_string(i) + ",\"a, \"\"b\"\"\"\n";
  }
  CsvReader reader(text);
  Fields fields;
  ASSERT_TRUE(reader.Next(fields));
  std::size_t rows = 0;
  while (reader.Next(fields)) {
    ASSERT_EQ(fields.size(), 3U);
    ASSERT_EQ(fields[0], std::to_string(rows));
    ASSERT_EQ(fields[2], "a, \"b\"");
    ASSERT_EQ(reader.line(), rows + 2);
    ++rows;
  }
  EXPECT_EQ(rows, kRows);
}

TEST(CsvEscape, LeavesPlainFieldsAlone) {
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("Wang Fang"), "Wang Fang");
  EXPECT_EQ(CsvEscape("王芳"), "王芳");
}

TEST(CsvEscape, QuotesFieldsThatNeedIt) {
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvEscape("cr\r"), "\"cr\r\"");
}

TEST(CsvEscape, RoundTripsThroughReader) {
  const Fields original = {"plain", "a,b", "say \"hi\"", "two\r\nlines", "", "\""};
  std::string line;
  for (std::size_t i = 0; i < original.size(); ++i) {
    line += (i ? "," : "") + CsvEscape(original[i]);
  }
  line += "\n";
  CsvReader reader(line);
  Fields fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, original);
  EXPECT_FALSE(reader.Next(fields));
}

TEST(CsvReader, KeepsAtMostTheFieldCapOfAVeryWideRecordAndReadsOnAfterIt) {
  const std::string wide = std::string(100'000, ',') + "\nnext,row\n";
  CsvReader reader(wide);
  Fields fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields.size(), kMaxCsvFields);
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(fields, (Fields{"next", "row"}));
}

TEST(HasNul, FindsUPlus0000InAnyField) {
  EXPECT_FALSE(HasNul({"a", "b"}));
  EXPECT_TRUE(HasNul({"a", std::string("b\0c", 3)}));
}

}  // namespace
}  // namespace swabline::core
