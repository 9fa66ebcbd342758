#include "http/exports.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

TEST(ExportReply, KeepsCellsASpreadsheetWouldRunAsFormulasAsText) {
  Table table{{"name", "note"},
              {{"=HYPERLINK(\"http://x\",\"hi\")", "+1"},
               {"-2", "@SUM(A1)"},
               {"\tx", "\r=1"},
               {"王伟", ""},
               {"a=b", "1-2"}}};
  const Reply reply = ExportReply(ExportFormat::kCsv, "missing", "missing", table);
  EXPECT_EQ(reply.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(reply.body,
            "name,note\n"
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"hi\"\")\",'+1\n"
            "'-2,'@SUM(A1)\n"
            "'\tx,\"'\r=1\"\n"
            "王伟,\n"
            "a=b,1-2\n");
}

}  // namespace
}  // namespace swabline::http
