#include "core/text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace swabline::core {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A file whose first bad byte comes after this many well-formed multi-byte UTF-8 characters is
// a UTF-8 file with stray bytes, not GBK: GBK text breaks UTF-8 within a character or two.
constexpr std::size_t kUtf8Evidence = 16;

struct Utf8Scan {
  std::size_t bad = std::string_view::npos;  // offset of the first bad byte
  std::size_t multibyte = 0;                 // well-formed multi-byte characters before it
};

// The length of the UTF-8 sequence starting at `p` (at most `left` bytes available), or 0 when
// it is not well-formed. `p[0]` is not ASCII.
std::size_t SequenceLength(const unsigned char* p, std::size_t left) {
  const unsigned char c = p[0];
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (left < n || p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return n;
}

Utf8Scan ScanUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  Utf8Scan scan;
  std::size_t i = 0;
  while (i < size) {
    // ASCII runs, the bulk of a roster, eight bytes at a time.
    while (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, p + i, sizeof word);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= size) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = SequenceLength(p + i, size - i);
    if (n == 0) {
      scan.bad = i;
      return scan;
    }
    ++scan.multibyte;
    i += n;
  }
  return scan;
}

std::string HexByte(unsigned char c) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[c >> 4] + kDigits[c & 0xF];
}

Error Unsupported(std::string_view text, std::size_t offset, const std::string& what) {
  const std::size_t line = LineOfOffset(text, offset);
  return Fail(ErrorCode::kUnsupportedEncoding,
              "line " + std::to_string(line) + " " + what + " (byte " +
                  HexByte(static_cast<unsigned char>(text[offset])) +
                  "); save the file as \"CSV UTF-8\" or as CSV in the Chinese encoding (GBK)")
      .With("line", std::to_string(line));
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Converts GB18030 `bytes` into `out` as UTF-8. Returns the offset of the first byte that is
// not well-formed GB18030, or npos.
std::size_t ConvertGb18030(std::string_view bytes, std::string& out) {
  iconv_t raw = iconv_open("UTF-8", "GB18030");
  // iconv_open's documented failure value is (iconv_t)-1: the cast is its API, not a choice.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  if (raw == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1)))
    throw std::runtime_error("this system's iconv has no GB18030 decoder");
  std::unique_ptr<void, IconvCloser> cd(raw);
  // Two GBK bytes become three UTF-8 bytes, four GB18030 bytes at most four.
  out.assign(bytes.size() + bytes.size() / 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's signature; it does not write
  std::size_t in_left = bytes.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(raw, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1)) break;
    if (errno != E2BIG) return static_cast<std::size_t>(in - bytes.data());
    const auto used = static_cast<std::size_t>(dst - out.data());  // not expected
    out.resize(out.size() * 2);
    dst = out.data() + used;
    out_left = out.size() - used;
  }
  out.resize(static_cast<std::size_t>(dst - out.data()));
  return std::string_view::npos;
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "utf-8";
    case TextEncoding::kUtf8Bom: return "utf-8-bom";
    case TextEncoding::kGb18030: return "gb18030";
  }
  return "utf-8";
}

std::size_t FindInvalidUtf8(std::string_view text) { return ScanUtf8(text).bad; }

std::size_t LineOfOffset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string_view DecodedText::Text(std::string_view original) const {
  if (encoding == TextEncoding::kGb18030) return converted;
  if (encoding == TextEncoding::kUtf8Bom) original.remove_prefix(kUtf8Bom.size());
  return original;
}

Result<DecodedText> DecodeText(std::string_view bytes) {
  DecodedText decoded;
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    const std::size_t bad = FindInvalidUtf8(bytes.substr(kUtf8Bom.size()));
    if (bad != std::string_view::npos)
      return Unsupported(bytes, bad + kUtf8Bom.size(),
                         "is not valid UTF-8, though the file begins with UTF-8's byte-order mark");
    decoded.encoding = TextEncoding::kUtf8Bom;
    return decoded;
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    return Unsupported(bytes, 0,
                       "begins a UTF-16 file (Excel's \"Unicode text\"), which is not read");
  const Utf8Scan scan = ScanUtf8(bytes);
  if (scan.bad == std::string_view::npos) return decoded;
  if (scan.multibyte >= kUtf8Evidence)
    return Unsupported(bytes, scan.bad, "is not valid UTF-8, though the lines before it are");
  const std::size_t gb_bad = ConvertGb18030(bytes, decoded.converted);
  if (gb_bad != std::string_view::npos) {
    // Name the later of the two bad bytes: the file is likelier in the encoding that got
    // further, and the byte that stopped it is the one to fix.
    return Unsupported(bytes, std::max(scan.bad, gb_bad), "is neither UTF-8 nor GB18030/GBK");
  }
  decoded.encoding = TextEncoding::kGb18030;
  return decoded;
}

}  // namespace swabline::core
