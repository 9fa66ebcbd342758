#pragma once
/// Columns that hold an enum's canonical name are parsed once, where a statement's columns
/// become a row. A name no enum knows is not input to refuse: it is a corrupt row (or a bug
/// that wrote it), so it throws StoreError — a 500 and a log line — naming what it found.

#include <string_view>

#include "store/connection.hpp"

namespace swabline::store {

/// Throws StoreError: "<table>.<column> holds '<value>', which is no known value".
[[noreturn]] void ThrowUnknownValue(std::string_view table, std::string_view column,
                                    std::string_view value);

/// `parse(text)` (a core::Parse… function returning std::optional<E>), or ThrowUnknownValue.
template <typename Parse>
auto EnumColumn(Parse parse, std::string_view text, std::string_view table,
                std::string_view column) {
  auto value = parse(text);
  if (!value) ThrowUnknownValue(table, column, text);
  return *value;
}

}  // namespace swabline::store
