#pragma once
/// What a JSON body must not hold beyond what the grammar allows: the same member named twice
/// in one object (parsers disagree on which one counts: the classic way to slip a value past a
/// check) and U+0000 in a string or a name (C code and logs cut text at it).

#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace swabline::http {

/// `duplicate_key` (extra member `key`) or `nul_character` for `text`, or nothing: also
/// nothing when `text` is not JSON at all, which the caller's parser then reports.
std::optional<core::Error> JsonHazard(std::string_view text);

}  // namespace swabline::http
