#pragma once
/// The columns of a resident roster (the import of docs/openapi.yaml): which header names
/// mean which column, in English or in Chinese, in any order, optional columns left out.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace swabline::core {

enum class RosterColumn {
  kIdNumber,
  kName,
  kPhone,
  kDistrict,
  kStreet,
  kCommunity,
  kBuilding,
  kUnit,
  kRoom,
  kTags,
  kDocType,
};
inline constexpr std::size_t kRosterColumnCount = 11;

/// The English header name, e.g. "id_number".
std::string_view RosterColumnName(RosterColumn column);
/// The Chinese header name, e.g. "身份证号".
std::string_view RosterColumnChineseName(RosterColumn column);

/// Where each column lies in the rows of one file.
class RosterColumns {
 public:
  /// Maps a header row. English names match in any case, Chinese ones exactly (身份证号, 姓名,
  /// 电话, 区, 街道, 社区, 楼, 单元, 室, 标签, 证件类型, and a few common variants such as
  /// 身份证号码 or 手机号), both after trimming blanks; other columns are ignored. Fails with
  /// kInvalidRequest, the extra member `column` naming the column, when id_number, name,
  /// district, street or community (what is needed to place a person) is missing, or when two
  /// header cells name the same column.
  static Result<RosterColumns> FromHeader(const std::vector<std::string>& header);

  /// The field of `column` in `row`, trimmed of blanks; empty when the file has no such column
  /// or the row is short.
  std::string_view Field(const std::vector<std::string>& row, RosterColumn column) const;

  /// True when the header has the column.
  bool Has(RosterColumn column) const { return index_[static_cast<std::size_t>(column)] >= 0; }

 private:
  RosterColumns() { index_.fill(-1); }
  std::array<int, kRosterColumnCount> index_;
};

/// True for the text a spreadsheet makes of a long number it kept as a number, such as
/// "1.10105199003071E+17": an ID number typed into a number cell, its last digits lost.
bool LooksLikeScientificNumber(std::string_view text);

}  // namespace swabline::core
