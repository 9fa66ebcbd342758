#include "core/natural_order.hpp"

namespace swabline::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool NaturalLess(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && a[ie] == '0') ++ie;  // leading zeros do not count
      while (je < b.size() && b[je] == '0') ++je;
      std::size_t in = ie, jn = je;
      while (in < a.size() && IsDigit(a[in])) ++in;
      while (jn < b.size() && IsDigit(b[jn])) ++jn;
      if (in - ie != jn - je) return in - ie < jn - je;
      for (std::size_t k = 0; k < in - ie; ++k)
        if (a[ie + k] != b[je + k]) return a[ie + k] < b[je + k];
      i = in;
      j = jn;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

}  // namespace swabline::core
