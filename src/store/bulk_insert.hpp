#pragma once
/// Many rows to a statement: "INSERT … VALUES (…), (…), …". A statement's own cost (binding,
/// stepping, halting) is most of a small row's, so rows written together are inserted together.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

/// "head" + `rows` copies of "row" joined by commas + "tail".
std::string RepeatedSql(std::string_view head, std::string_view row, std::size_t rows,
                        std::string_view tail);

/// One multi-row INSERT, its text built once for every row count from 1 to kMaxRows (so a
/// connection caches at most kMaxRows statements of it). Immutable once built: a function's
/// `static const` one is safe on any thread.
class MultiRowInsert {
 public:
  static constexpr std::size_t kMaxRows = 64;

  /// `head`: "INSERT INTO t(a, b) VALUES "; `row`: one row's values with `columns` `?`s.
  MultiRowInsert(std::string_view head, std::string_view row, int columns);

  /// Inserts `rows` rows, at most kMaxRows to a statement; `bind(statement, first, i)` binds
  /// row i's values to the parameters from index `first` on. Returns the first row's id in a
  /// table with an INTEGER PRIMARY KEY: the rows get consecutive ids in order (each the
  /// largest so far plus one; nothing else writes between the statements of one Run).
  template <typename BindRow>
  std::int64_t Run(Tx& tx, std::size_t rows, BindRow bind) const {
    for (std::size_t done = 0; done < rows;) {
      const std::size_t n = std::min(kMaxRows, rows - done);
      auto q = tx.Query(texts_[n - 1]);
      for (std::size_t i = 0; i < n; ++i) bind(*q, static_cast<int>(i) * columns_ + 1, done + i);
      q->RunOrThrow();
      done += n;
    }
    return tx.db().LastInsertId() - static_cast<std::int64_t>(rows) + 1;
  }

 private:
  int columns_;
  std::vector<std::string> texts_;
};

}  // namespace swabline::store
