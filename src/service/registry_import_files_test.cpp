// The roster import with the files offices really have: GBK and BOM CSVs, Chinese headers,
// optional columns left out, .xlsx workbooks, and progress for large files.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/registry.hpp"
#include "store/residents.hpp"
#include "support/service/test_support.hpp"
#include "support/service/xlsx_test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using test::IdNumber;
using test::World;
using test::XlsxBytes;

// 张三,朝阳区,和平街街道,小黄庄社区 in GBK.
constexpr std::string_view kZhangSanGbk = "\xD5\xC5\xC8\xFD";
constexpr std::string_view kPlaceGbk =
    "\xB3\xAF\xD1\xF4\xC7\xF8,\xBA\xCD\xC6\xBD\xBD\xD6\xBD\xD6\xB5\xC0,"
    "\xD0\xA1\xBB\xC6\xD7\xAF\xC9\xE7\xC7\xF8";

core::Result<ImportReport> ImportXlsx(World& w, const std::string& bytes) {
  return w.InTx([&](store::Tx& tx) {
    return ImportResidents(tx, w.env, Actor::System(), bytes, RosterFormat::kXlsx);
  });
}

std::string PlacePathOf(World& w, const std::string& id_number) {
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(id_number));
  return row ? row->place_path : std::string();
}

TEST(ImportResidentFiles, ReadsAGbkCsvAndSaysSo) {
  World w;
  const std::string csv = "id_number,name,district,street,community\n" + IdNumber(1) + "," +
                          std::string(kZhangSanGbk) + "," + std::string(kPlaceGbk) + "\n";
  const ImportReport report = w.ImportOk(csv);
  EXPECT_EQ(report.created, 1u);
  EXPECT_EQ(report.encoding, "gb18030");
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "张三");
  EXPECT_EQ(row->place_path, "朝阳区/和平街街道/小黄庄社区");
}

TEST(ImportResidentFiles, ReadsAUtf8CsvWithAByteOrderMark) {
  World w;
  const ImportReport report = w.ImportOk(
      "\xEF\xBB\xBF" + test::Csv({IdNumber(1) + ",王伟,,朝阳区,和平街街道,小黄庄社区,,,,"}));
  EXPECT_EQ(report.encoding, "utf-8-bom");
  EXPECT_EQ(
      w.ImportOk(test::Csv({IdNumber(2) + ",王芳,,朝阳区,和平街街道,小黄庄社区,,,,"})).encoding,
      "utf-8");
}

TEST(ImportResidentFiles, RefusesAFileWithBytesNeitherUtf8NorGbkBeforeWritingAnyRow) {
  World w;
  const std::string csv = test::Csv({IdNumber(1) + ",王伟,,朝阳区,和平街街道,小黄庄社区,,,,",
                                     IdNumber(2) + ",\xFF\xFE,,朝阳区,和平街街道,小黄庄社区,,,,"});
  auto report = w.Import(Actor::System(), csv);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kUnsupportedEncoding);
  EXPECT_NE(report.error().detail.find("line 3"), std::string::npos) << report.error().detail;
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 0);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 0);
}

TEST(ImportResidentFiles, ReadsAChineseHeaderInAnyOrderWithOptionalColumnsLeftOut) {
  World w;
  w.ImportOk("社区,姓名,街道,身份证号,区,楼\n小黄庄社区,王伟,和平街街道," + IdNumber(1) +
             ",朝阳区,1号楼\n");
  EXPECT_EQ(PlacePathOf(w, IdNumber(1)), "朝阳区/和平街街道/小黄庄社区/1号楼");
}

TEST(ImportResidentFiles, ReadsAFileOfOnlyTheRequiredColumns) {
  World w;
  w.ImportOk("id_number,name,district,street,community\n" + IdNumber(1) +
             ",王伟,朝阳区,和平街街道,小黄庄社区\n");
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->phone, "");
}

TEST(ImportResidentFiles, RefusesAFileOfOnlyIdNumberAndNameNamingTheMissingColumn) {
  World w;
  auto report = w.Import(Actor::System(), "id_number,name\n" + IdNumber(1) + ",王伟\n");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidRequest);
  ASSERT_EQ(report.error().extras.size(), 1u);
  EXPECT_EQ(report.error().extras[0].second, "district");
}

TEST(ImportResidentFiles, ReadsAnXlsxWithSharedStringsNumbersAndChineseHeaders) {
  World w;
  using S = std::string;
  const std::string bytes = XlsxBytes({
      {S("身份证号"), S("姓名"), S("电话"), S("区"), S("街道"), S("社区"), S("楼"), S("单元"),
       S("室")},
      {S(IdNumber(1)), S("张三"), 13800000001.0, S("朝阳区"), S("和平街街道"), S("小黄庄社区"), 1.0,
       2.0, 301.0},
      {S(IdNumber(2)), S("李四"), S(""), S("朝阳区"), S("和平街街道"), S("小黄庄社区")},
  });
  auto report = ImportXlsx(w, bytes);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 2u);
  EXPECT_TRUE(report->rejected.empty()) << report->rejected[0].detail;
  EXPECT_EQ(report->encoding, "utf-8");
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "张三");
  EXPECT_EQ(row->phone, "13800000001");
  EXPECT_EQ(row->place_path, "朝阳区/和平街街道/小黄庄社区/1/2/301");
}

TEST(ImportResidentFiles, RejectsAnIdNumberAWorkbookKeptAsANumber) {
  World w;
  using S = std::string;
  const std::string bytes = XlsxBytes({
      {S("id_number"), S("name"), S("district"), S("street"), S("community")},
      {110105199003071234.0, S("张三"), S("朝阳区"), S("和平街街道"), S("小黄庄社区")},
      {S(IdNumber(2)), S("李四"), S("朝阳区"), S("和平街街道"), S("小黄庄社区")},
  });
  auto report = ImportXlsx(w, bytes);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 1u);
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_EQ(report->rejected[0].line, 2u);
  EXPECT_EQ(report->rejected[0].code, "invalid_id_number");
  EXPECT_NE(report->rejected[0].detail.find("1.10105199003071E+17"), std::string::npos)
      << report->rejected[0].detail;
}

TEST(ImportResidentFiles, RefusesAWorkbookSentAsCsv) {
  World w;
  auto report = w.Import(Actor::System(), XlsxBytes({{std::string("id_number")}}));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ImportResidentFiles, TellsProgressEveryTenThousandRows) {
  World w;
  std::string csv = "id_number,name,district,street,community\n";
  for (int i = 0; i < 25'000; ++i) csv += "bad,王伟,朝阳区,和平街街道,小黄庄社区\n";
  std::vector<std::pair<std::size_t, double>> told;
  auto report = w.InTx([&](store::Tx& tx) {
    return ImportResidents(
        tx, w.env, Actor::System(), csv, RosterFormat::kCsv,
        [&](std::size_t rows, double fraction) { told.emplace_back(rows, fraction); });
  });
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].first, 10'000u);
  EXPECT_EQ(told[1].first, 20'000u);
  EXPECT_NEAR(told[0].second, 0.4, 0.01);
  EXPECT_NEAR(told[1].second, 0.8, 0.01);
}

}  // namespace
}  // namespace swabline::service
