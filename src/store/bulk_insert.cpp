#include "store/bulk_insert.hpp"

namespace swabline::store {

std::string RepeatedSql(std::string_view head, std::string_view row, std::size_t rows,
                        std::string_view tail) {
  std::string sql(head);
  sql.reserve(head.size() + rows * (row.size() + 2) + tail.size());
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += row;
  }
  sql += tail;
  return sql;
}

MultiRowInsert::MultiRowInsert(std::string_view head, std::string_view row, int columns)
    : columns_(columns) {
  texts_.reserve(kMaxRows);
  for (std::size_t n = 1; n <= kMaxRows; ++n) texts_.push_back(RepeatedSql(head, row, n, ""));
}

}  // namespace swabline::store
