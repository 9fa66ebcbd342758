#include "store/columns.hpp"

#include <string>

namespace swabline::store {

void ThrowUnknownValue(std::string_view table, std::string_view column, std::string_view value) {
  throw StoreError(0, std::string(table) + "." + std::string(column) + " holds '" +
                          std::string(value) + "', which is no known value (a corrupt row)");
}

}  // namespace swabline::store
