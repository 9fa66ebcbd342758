#pragma once
/// Which text encoding an uploaded file is in, and its text as UTF-8. Community offices save
/// rosters from Excel or WPS, which write UTF-8 (often with a byte-order mark) or, by default
/// on Chinese systems, GBK; GB18030 is GBK's superset, so one decoder covers both. Nothing that
/// is not valid UTF-8 may reach the database, so anything else is refused as a whole.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace swabline::core {

enum class TextEncoding { kUtf8, kUtf8Bom, kGb18030 };

/// "utf-8", "utf-8-bom" or "gb18030", as the import report names it.
std::string_view TextEncodingName(TextEncoding encoding);

/// The offset of the first byte that does not belong to well-formed UTF-8 (no overlong forms,
/// surrogates or code points past U+10FFFF), or std::string_view::npos when there is none.
std::size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

/// The 1-based line (counting LF line ends) that holds byte `offset` of `text`.
std::size_t LineOfOffset(std::string_view text, std::size_t offset);

struct DecodedText {
  TextEncoding encoding = TextEncoding::kUtf8;
  /// The text converted to UTF-8 when the file was GB18030; empty otherwise, for a UTF-8 file
  /// is used where it lies.
  std::string converted;

  /// The UTF-8 text: `converted`, or `original` (the bytes given to DecodeText) past its
  /// byte-order mark.
  std::string_view Text(std::string_view original) const;
};

/// Decides the encoding of `bytes` and decodes them. UTF-8 (with or without a byte-order
/// mark) is taken as it is; otherwise a file that is well-formed GB18030 is converted. Fails
/// with kUnsupportedEncoding, naming the line of the first bad byte (extra member `line`), for
/// a file that is neither — UTF-16, Big5 or Latin-1, or a UTF-8 file with stray bytes.
Result<DecodedText> DecodeText(std::string_view bytes);

}  // namespace swabline::core
