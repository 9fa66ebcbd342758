#include "core/roster_columns.hpp"

#include <algorithm>
#include <optional>

#include "core/text.hpp"

namespace swabline::core {
namespace {

struct ColumnNames {
  RosterColumn column;
  std::string_view english;
  std::string_view chinese;      // the name shown back to people
  std::string_view variants[4];  // other Chinese names offices use
};

// clang-format off
constexpr ColumnNames kColumns[kRosterColumnCount] = {
    {RosterColumn::kIdNumber, "id_number", "身份证号", {"身份证号码", "证件号码", "证件号"}},
    {RosterColumn::kName, "name", "姓名", {}},
    {RosterColumn::kPhone, "phone", "电话", {"手机", "手机号", "手机号码", "联系电话"}},
    {RosterColumn::kDistrict, "district", "区", {"区县"}},
    {RosterColumn::kStreet, "street", "街道", {"乡镇"}},
    {RosterColumn::kCommunity, "community", "社区", {}},
    {RosterColumn::kBuilding, "building", "楼", {"楼栋", "楼号"}},
    {RosterColumn::kUnit, "unit", "单元", {}},
    {RosterColumn::kRoom, "room", "室", {"房间", "房号"}},
    {RosterColumn::kTags, "tags", "标签", {}},
    {RosterColumn::kDocType, "doc_type", "证件类型", {}},
};
// clang-format on

constexpr RosterColumn kRequired[] = {RosterColumn::kIdNumber, RosterColumn::kName,
                                      RosterColumn::kDistrict, RosterColumn::kStreet,
                                      RosterColumn::kCommunity};

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

std::optional<RosterColumn> ColumnNamed(std::string_view name) {
  for (const ColumnNames& c : kColumns) {
    if (EqualsNoCase(name, c.english) || name == c.chinese) return c.column;
    for (std::string_view v : c.variants)
      if (!v.empty() && name == v) return c.column;
  }
  return std::nullopt;
}

std::string Described(RosterColumn column) {
  return "'" + std::string(RosterColumnName(column)) + "' (" +
         std::string(RosterColumnChineseName(column)) + ")";
}

}  // namespace

std::string_view RosterColumnName(RosterColumn column) {
  return kColumns[static_cast<std::size_t>(column)].english;
}

std::string_view RosterColumnChineseName(RosterColumn column) {
  return kColumns[static_cast<std::size_t>(column)].chinese;
}

Result<RosterColumns> RosterColumns::FromHeader(const std::vector<std::string>& header) {
  RosterColumns columns;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto column = ColumnNamed(TrimBlanks(header[i]));
    if (!column) continue;
    int& index = columns.index_[static_cast<std::size_t>(*column)];
    if (index >= 0)
      return Fail(ErrorCode::kInvalidRequest,
                  "the header row names the column " + Described(*column) + " twice (columns " +
                      std::to_string(index + 1) + " and " + std::to_string(i + 1) + ")")
          .With("column", std::string(RosterColumnName(*column)));
    index = static_cast<int>(i);
  }
  for (RosterColumn column : kRequired) {
    if (columns.Has(column)) continue;
    return Fail(ErrorCode::kInvalidRequest,
                "the header row lacks the column " + Described(column) +
                    "; id_number, name, district, street and community are required, phone, "
                    "building, unit, room and tags optional (in English or Chinese, any order)")
        .With("column", std::string(RosterColumnName(column)));
  }
  return columns;
}

std::string_view RosterColumns::Field(const std::vector<std::string>& row,
                                      RosterColumn column) const {
  const int i = index_[static_cast<std::size_t>(column)];
  if (i < 0 || static_cast<std::size_t>(i) >= row.size()) return {};
  return TrimBlanks(row[static_cast<std::size_t>(i)]);
}

bool LooksLikeScientificNumber(std::string_view text) {
  text = TrimBlanks(text);
  const std::size_t e = text.find_first_of("Ee");
  if (e == std::string_view::npos || e == 0 || e + 1 >= text.size()) return false;
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string_view mantissa = text.substr(0, e);
  std::string_view exponent = text.substr(e + 1);
  if (exponent.front() == '+' || exponent.front() == '-') exponent.remove_prefix(1);
  const std::size_t dot = mantissa.find('.');
  if (dot != std::string_view::npos)
    return digits(mantissa.substr(0, dot)) && digits(mantissa.substr(dot + 1)) && digits(exponent);
  return digits(mantissa) && digits(exponent);
}

}  // namespace swabline::core
