#include "core/text_encoding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace swabline::core {
namespace {

// 张三 and 朝阳区 as GBK (and so GB18030) bytes.
constexpr std::string_view kZhangSanGbk = "\xD5\xC5\xC8\xFD";
constexpr std::string_view kChaoyangGbk = "\xB3\xAF\xD1\xF4\xC7\xF8";

std::string Decoded(std::string_view bytes) {
  auto d = DecodeText(bytes);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().detail);
  return d.ok() ? std::string(d->Text(bytes)) : std::string();
}

TEST(DecodeText, TakesUtf8AsItIs) {
  const std::string csv = "name,district\n张三,朝阳区\n";
  auto d = DecodeText(csv);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(TextEncodingName(d->encoding), "utf-8");
  EXPECT_EQ(d->Text(csv), csv);
  EXPECT_EQ(d->Text(csv).data(), csv.data()) << "UTF-8 is read where it lies, not copied";
}

TEST(DecodeText, TakesPlainAsciiAndEmptyTextAsUtf8) {
  for (std::string_view text : {"", "id_number,name\n"}) {
    auto d = DecodeText(text);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, TextEncoding::kUtf8);
  }
}

TEST(DecodeText, SkipsTheByteOrderMarkOfUtf8) {
  const std::string csv = "\xEF\xBB\xBFname\n张三\n";
  auto d = DecodeText(csv);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(TextEncodingName(d->encoding), "utf-8-bom");
  EXPECT_EQ(d->Text(csv), "name\n张三\n");
}

TEST(DecodeText, ConvertsGbkBytesToUtf8) {
  const std::string csv =
      "name,district\n" + std::string(kZhangSanGbk) + "," + std::string(kChaoyangGbk) + "\n";
  auto d = DecodeText(csv);
  ASSERT_TRUE(d.ok()) << d.error().detail;
  EXPECT_EQ(d->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(TextEncodingName(d->encoding), "gb18030");
  EXPECT_EQ(d->Text(csv), "name,district\n张三,朝阳区\n");
  EXPECT_TRUE(IsValidUtf8(d->Text(csv)));
}

TEST(DecodeText, ConvertsTheFourByteFormsOfGb18030) {
  // U+20000 (𠀀), outside GBK, is 95 32 82 36 in GB18030.
  EXPECT_EQ(Decoded("\x95\x32\x82\x36"), "\xF0\xA0\x80\x80");
}

TEST(DecodeText, RefusesFfFeInsideAUtf8FileNamingTheLine) {
  const std::string csv = "name,district\n张三,朝阳区\n\xFF\xFE,朝阳区\n";
  auto d = DecodeText(csv);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedEncoding);
  EXPECT_NE(d.error().detail.find("line 3"), std::string::npos) << d.error().detail;
  EXPECT_NE(d.error().detail.find("0xFF"), std::string::npos) << d.error().detail;
  ASSERT_EQ(d.error().extras.size(), 1u);
  EXPECT_EQ(d.error().extras[0], (std::pair<std::string, std::string>{"line", "3"}));
}

TEST(DecodeText, RefusesAStrayByteInALongUtf8FileEvenWhereGb18030CouldReadIt) {
  // Two-character names are six UTF-8 bytes, which GB18030 reads as three characters: a
  // file of them with one stray GBK character would decode as GB18030 into nonsense.
  std::string csv = "name\n";
  for (int i = 0; i < 20; ++i) csv += "王伟\n";
  csv += std::string(kZhangSanGbk) + "\n";
  auto d = DecodeText(csv);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedEncoding);
  EXPECT_NE(d.error().detail.find("line 22"), std::string::npos) << d.error().detail;
}

TEST(DecodeText, RefusesBytesThatAreNeitherUtf8NorGb18030) {
  // 0xFF never appears in GB18030; 0x80 alone is no character in either.
  for (std::string_view bytes :
       {std::string_view("name\n\xD5\xC5\xFF\n"), std::string_view("name\nab\x80\n")}) {
    auto d = DecodeText(bytes);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedEncoding);
    EXPECT_NE(d.error().detail.find("line 2"), std::string::npos) << d.error().detail;
  }
}

TEST(DecodeText, RefusesAUtf8BomFileWithBadBytes) {
  auto d = DecodeText("\xEF\xBB\xBFname\n\xD5\xC5\n");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedEncoding);
  EXPECT_NE(d.error().detail.find("line 2"), std::string::npos) << d.error().detail;
}

TEST(DecodeText, RefusesUtf16SayingSo) {
  auto d = DecodeText(std::string_view("\xFF\xFEn\0a\0", 6));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedEncoding);
  EXPECT_NE(d.error().detail.find("UTF-16"), std::string::npos) << d.error().detail;
}

TEST(FindInvalidUtf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii, long enough for the fast path"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("张三 🙂"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xFFk"), 10u);
  EXPECT_EQ(FindInvalidUtf8("ab\xE5\xBC"), 2u) << "a truncated character";
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u) << "an overlong '/'";
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u) << "a surrogate";
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u) << "past U+10FFFF";
}

TEST(LineOfOffset, CountsLineFeedsBefore) {
  EXPECT_EQ(LineOfOffset("a\nb\nc", 0), 1u);
  EXPECT_EQ(LineOfOffset("a\nb\nc", 2), 2u);
  EXPECT_EQ(LineOfOffset("a\r\nb\r\nc", 6), 3u);
}

}  // namespace
}  // namespace swabline::core
