#pragma once
/// "2号楼" before "10号楼": runs of digits compare by value, everything else byte by byte.

#include <string_view>

namespace swabline::core {

bool NaturalLess(std::string_view a, std::string_view b);

}  // namespace swabline::core
