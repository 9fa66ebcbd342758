#include "core/roster_columns.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace swabline::core {
namespace {

using Row = std::vector<std::string>;

RosterColumns Mapped(const Row& header) {
  auto columns = RosterColumns::FromHeader(header);
  EXPECT_TRUE(columns.ok()) << (columns.ok() ? "" : columns.error().detail);
  return columns.ok()
             ? *columns
             : *RosterColumns::FromHeader({"id_number", "name", "district", "street", "community"});
}

TEST(RosterColumns, MapsTheEnglishHeader) {
  const RosterColumns c = Mapped({"id_number", "name", "phone", "district", "street", "community",
                                  "building", "unit", "room", "tags"});
  const Row row = {"110",        "王伟",  "138",   "朝阳区", "和平街街道",
                   "小黄庄社区", "1号楼", "1单元", "101",    "elderly"};
  EXPECT_EQ(c.Field(row, RosterColumn::kIdNumber), "110");
  EXPECT_EQ(c.Field(row, RosterColumn::kPhone), "138");
  EXPECT_EQ(c.Field(row, RosterColumn::kRoom), "101");
  EXPECT_EQ(c.Field(row, RosterColumn::kTags), "elderly");
  EXPECT_FALSE(c.Has(RosterColumn::kDocType));
}

TEST(RosterColumns, MapsTheChineseHeaderInAnyOrder) {
  const RosterColumns c =
      Mapped({"姓名", "标签", "室", "单元", "楼", "社区", "街道", "区", "电话", "身份证号"});
  const Row row = {"王伟",       "elderly",    "101",    "1单元", "1号楼",
                   "小黄庄社区", "和平街街道", "朝阳区", "138",   "110"};
  EXPECT_EQ(c.Field(row, RosterColumn::kIdNumber), "110");
  EXPECT_EQ(c.Field(row, RosterColumn::kName), "王伟");
  EXPECT_EQ(c.Field(row, RosterColumn::kDistrict), "朝阳区");
  EXPECT_EQ(c.Field(row, RosterColumn::kStreet), "和平街街道");
  EXPECT_EQ(c.Field(row, RosterColumn::kCommunity), "小黄庄社区");
  EXPECT_EQ(c.Field(row, RosterColumn::kBuilding), "1号楼");
  EXPECT_EQ(c.Field(row, RosterColumn::kUnit), "1单元");
  EXPECT_EQ(c.Field(row, RosterColumn::kRoom), "101");
  EXPECT_EQ(c.Field(row, RosterColumn::kPhone), "138");
  EXPECT_EQ(c.Field(row, RosterColumn::kTags), "elderly");
}

TEST(RosterColumns, MatchesEnglishNamesInAnyCaseAndTrimsBlanks) {
  const RosterColumns c = Mapped({" ID_Number ", "Name", "DISTRICT", "street\t", "Community"});
  EXPECT_EQ(c.Field({"110", "王伟", "区", "街", "社"}, RosterColumn::kIdNumber), "110");
}

TEST(RosterColumns, MapsCommonChineseVariants) {
  const RosterColumns c =
      Mapped({"身份证号码", "姓名", "手机号", "区", "街道", "社区", "楼栋", "房号", "证件类型"});
  EXPECT_TRUE(c.Has(RosterColumn::kPhone));
  EXPECT_TRUE(c.Has(RosterColumn::kBuilding));
  EXPECT_TRUE(c.Has(RosterColumn::kRoom));
  EXPECT_TRUE(c.Has(RosterColumn::kDocType));
}

TEST(RosterColumns, LeavesOptionalColumnsOutAndReadsThemAsEmpty) {
  const RosterColumns c = Mapped({"id_number", "name", "district", "street", "community"});
  for (RosterColumn optional : {RosterColumn::kPhone, RosterColumn::kBuilding, RosterColumn::kUnit,
                                RosterColumn::kRoom, RosterColumn::kTags}) {
    EXPECT_FALSE(c.Has(optional)) << RosterColumnName(optional);
    EXPECT_EQ(c.Field({"110", "王伟", "区", "街", "社"}, optional), "");
  }
}

TEST(RosterColumns, IgnoresUnknownColumnsAndReadsShortRowsAsEmpty) {
  const RosterColumns c = Mapped({"备注", "id_number", "name", "district", "street", "community"});
  EXPECT_EQ(c.Field({"note", "110", "王伟"}, RosterColumn::kName), "王伟");
  EXPECT_EQ(c.Field({"note", "110", "王伟"}, RosterColumn::kCommunity), "");
}

TEST(RosterColumns, RefusesAHeaderWithoutARequiredColumnNamingIt) {
  const Row full = {"id_number", "name", "district", "street", "community"};
  for (std::size_t drop = 0; drop < full.size(); ++drop) {
    Row header = full;
    header.erase(header.begin() + static_cast<std::ptrdiff_t>(drop));
    auto c = RosterColumns::FromHeader(header);
    ASSERT_FALSE(c.ok()) << full[drop];
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidRequest);
    EXPECT_NE(c.error().detail.find("'" + full[drop] + "'"), std::string::npos) << c.error().detail;
    ASSERT_EQ(c.error().extras.size(), 1u);
    EXPECT_EQ(c.error().extras[0], (std::pair<std::string, std::string>{"column", full[drop]}));
  }
}

TEST(RosterColumns, RefusesAHeaderThatNamesAColumnTwice) {
  auto c =
      RosterColumns::FromHeader({"id_number", "姓名", "name", "district", "street", "community"});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidRequest);
  EXPECT_NE(c.error().detail.find("twice"), std::string::npos) << c.error().detail;
}

TEST(LooksLikeScientificNumber, TellsExcelsLongNumbersFromIdNumbers) {
  EXPECT_TRUE(LooksLikeScientificNumber("1.10105199003071E+17"));
  EXPECT_TRUE(LooksLikeScientificNumber("1.10105E+17"));
  EXPECT_TRUE(LooksLikeScientificNumber("1E+17"));
  EXPECT_TRUE(LooksLikeScientificNumber("1.1e17"));
  EXPECT_FALSE(LooksLikeScientificNumber("110105199003071234"));
  EXPECT_FALSE(LooksLikeScientificNumber("11010519900307123X"));
  EXPECT_FALSE(LooksLikeScientificNumber("E12345678"));
  EXPECT_FALSE(LooksLikeScientificNumber("1.5E"));
}

}  // namespace
}  // namespace swabline::core
