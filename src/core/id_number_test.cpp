#include "core/id_number.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error_code.hpp"

namespace swabline::core {
namespace {

constexpr CivilDate kToday{2026, 5, 1};

// Independent of the code under test: the weights and table written out once more here.
char ReferenceCheckCharacter(std::string_view first17) {
  const std::array<int, 17> weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) sum += (first17[i] - '0') * weights[i];
  return "10X98765432"[sum % 11];
}

// A valid ID number from its first 17 digits.
std::string WithCheck(std::string first17) {
  first17.push_back(IdNumberCheckCharacter(first17));
  return first17;
}

std::string DetailOf(std::string_view raw, CivilDate today = kToday) {
  auto result = NormalizeIdNumber(raw, today);
  EXPECT_FALSE(result.ok()) << raw;
  if (result.ok()) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidIdNumber);
  return result.error().detail;
}

TEST(IdNumberCheckCharacter, MatchesKnownNumbers) {
  EXPECT_EQ(IdNumberCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckCharacter("11010519900307123"), '9');
  EXPECT_EQ(IdNumberCheckCharacter("31011519850612441"), '4');
  EXPECT_EQ(IdNumberCheckCharacter("44030420010101003"), '0');
}

TEST(IdNumberCheckCharacter, AgreesWithReferenceForManyPrefixes) {
  std::string first17 = "11010519900307000";
  for (int seq = 0; seq < 1000; ++seq) {
    first17[14] = static_cast<char>('0' + seq / 100);
    first17[15] = static_cast<char>('0' + seq / 10 % 10);
    first17[16] = static_cast<char>('0' + seq % 10);
    ASSERT_EQ(IdNumberCheckCharacter(first17), ReferenceCheckCharacter(first17)) << first17;
  }
}

TEST(NormalizeIdNumber, AcceptsValidNumbers) {
  for (std::string_view id :
       {"11010519491231002X", "110105199003071239", "310115198506124414", "440304200101010030"}) {
    EXPECT_EQ(ReferenceCheckCharacter(id.substr(0, 17)), id.back()) << id;
    auto result = NormalizeIdNumber(id, kToday);
    ASSERT_TRUE(result.ok()) << id << ": " << result.error().detail;
    EXPECT_EQ(*result, id);
  }
}

TEST(NormalizeIdNumber, CanonicalisesLowercaseX) {
  auto result = NormalizeIdNumber("11010519491231002x", kToday);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(*result, "11010519491231002X");
}

TEST(NormalizeIdNumber, TrimsSurroundingWhitespace) {
  auto result = NormalizeIdNumber(" \t110105199003071239\r\n", kToday);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(*result, "110105199003071239");
}

TEST(NormalizeIdNumber, RejectsWrongCheckCharacter) {
  EXPECT_EQ(DetailOf("110105194912310023"), "check character should be X, not 3");
  EXPECT_EQ(DetailOf("11010519900307123X"), "check character should be 9, not X");
  EXPECT_EQ(DetailOf("110105199003071238"), "check character should be 9, not 8");
}

TEST(NormalizeIdNumber, RejectsImpossibleDate) {
  EXPECT_EQ(DetailOf(WithCheck("11010519800230001")), "impossible birth date 19800230");
  EXPECT_EQ(DetailOf(WithCheck("11010519801301001")), "impossible birth date 19801301");
  EXPECT_EQ(DetailOf(WithCheck("11010519800431001")), "impossible birth date 19800431");
  EXPECT_EQ(DetailOf(WithCheck("11010519800100001")), "impossible birth date 19800100");
}

TEST(NormalizeIdNumber, AcceptsLeapDayOfLeapYear) {
  const std::string id = WithCheck("11010520000229001");
  EXPECT_EQ(id, "110105200002290013");
  auto result = NormalizeIdNumber(id, kToday);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(BirthDateOf(*result), (CivilDate{2000, 2, 29}));
}

TEST(NormalizeIdNumber, RejectsLeapDayOfCenturyYear) {
  EXPECT_EQ(DetailOf(WithCheck("11010519000229001")), "impossible birth date 19000229");
}

TEST(NormalizeIdNumber, RejectsBirthBefore1900) {
  EXPECT_EQ(DetailOf(WithCheck("11010518991231001")), "birth date 18991231 is before 1900");
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("11010519000101001"), kToday).ok());
}

TEST(NormalizeIdNumber, RejectsFutureBirthDate) {
  EXPECT_EQ(DetailOf(WithCheck("11010520991231001")), "birth date 20991231 is in the future");
  EXPECT_EQ(DetailOf(WithCheck("11010520260502001")), "birth date 20260502 is in the future");
}

TEST(NormalizeIdNumber, AcceptsBirthToday) {
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("11010520260501001"), kToday).ok());
}

TEST(NormalizeIdNumber, RejectsUnknownRegion) {
  EXPECT_EQ(DetailOf(WithCheck("99123419900307123")), "unknown region code 991234");
  EXPECT_EQ(DetailOf(WithCheck("00010119900307123")), "unknown region code 000101");
  EXPECT_EQ(DetailOf(WithCheck("16010119900307123")), "unknown region code 160101");
  EXPECT_EQ(DetailOf(WithCheck("72010119900307123")), "unknown region code 720101");
}

TEST(NormalizeIdNumber, AcceptsEveryProvinceCode) {
  for (const char* province : {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61",
                               "65", "71", "81", "82", "83"}) {
    const std::string id = WithCheck(std::string(province) + "010119900307123");
    EXPECT_TRUE(NormalizeIdNumber(id, kToday).ok()) << id;
  }
}

TEST(NormalizeIdNumber, RejectsProvinceAsRegion) {
  const std::string detail = DetailOf(WithCheck("11000019900307123"));
  EXPECT_NE(detail.find("110000"), std::string::npos) << detail;
  EXPECT_NE(detail.find("province"), std::string::npos) << detail;
}

TEST(NormalizeIdNumber, RejectsLegacyFifteenDigitNumber) {
  EXPECT_EQ(DetailOf("110105490101002"),
            "15-digit ID numbers (issued before 1999) are no longer valid; use the 18-digit "
            "number");
  EXPECT_EQ(DetailOf("  110105490101002 "),
            "15-digit ID numbers (issued before 1999) are no longer valid; use the 18-digit "
            "number");
}

TEST(NormalizeIdNumber, RejectsWrongLength) {
  EXPECT_EQ(DetailOf("11010519900307123"), "an ID number has 18 characters, this one has 17");
  EXPECT_EQ(DetailOf("1101051990030712399"), "an ID number has 18 characters, this one has 19");
  EXPECT_EQ(DetailOf("11010549010100X"), "an ID number has 18 characters, this one has 15");
  EXPECT_EQ(DetailOf("   "), "the ID number is empty");
  EXPECT_EQ(DetailOf(""), "the ID number is empty");
}

TEST(NormalizeIdNumber, RejectsBadCharacters) {
  EXPECT_EQ(DetailOf("1101051990O3071239"),
            "character 11 of the ID number must be a digit, not 'O'");
  EXPECT_EQ(DetailOf("X10105199003071239"),
            "character 1 of the ID number must be a digit, not 'X'");
  EXPECT_EQ(DetailOf("11010519900307123Y"),
            "the last character of the ID number must be a digit or X, not 'Y'");
  EXPECT_EQ(DetailOf("1101051990 3071239"),
            "character 11 of the ID number must be a digit, not ' '");
  EXPECT_EQ(DetailOf(std::string("110105199\x01"
                                 "03071239")),
            "character 10 of the ID number must be a digit, not a control character");
}

TEST(NormalizeIdNumber, ReportsFullWidthDigitsWithoutCopyingThem) {
  // "１" (U+FF11) in place of the first digit: 18 characters, 20 bytes.
  const std::string detail = DetailOf(
      "\xEF\xBC\x91"
      "10105199003071239");
  EXPECT_EQ(detail,
            "the ID number contains a non-ASCII character (full-width digits are not accepted)");
}

TEST(NormalizeIdNumber, ChecksRegionBeforeDateAndDateBeforeCheckCharacter) {
  // Unknown region, impossible date and wrong check character all at once.
  EXPECT_EQ(DetailOf("991234198002300010"), "unknown region code 991234");
  // Impossible date and a wrong check character.
  EXPECT_EQ(DetailOf(WithCheck("11010519800230001").substr(0, 17) + "Z"),
            "the last character of the ID number must be a digit or X, not 'Z'");
  std::string bad_date = WithCheck("11010519800230001");
  bad_date.back() = bad_date.back() == '0' ? '1' : '0';
  EXPECT_EQ(DetailOf(bad_date), "impossible birth date 19800230");
}

TEST(LooksLikeIdNumber, RecognisesShapes) {
  EXPECT_TRUE(LooksLikeIdNumber("11010519491231002X"));
  EXPECT_TRUE(LooksLikeIdNumber("11010519491231002x"));
  EXPECT_TRUE(LooksLikeIdNumber("110105199003071238"));  // wrong check, right shape
  EXPECT_TRUE(LooksLikeIdNumber(" 110105199003071239 "));
  EXPECT_TRUE(LooksLikeIdNumber("110105490101002"));
  EXPECT_TRUE(LooksLikeIdNumber("991234199003071230"));  // unknown region, right shape
}

TEST(LooksLikeIdNumber, RejectsOtherText) {
  EXPECT_FALSE(LooksLikeIdNumber(""));
  EXPECT_FALSE(LooksLikeIdNumber("11010519900307123"));
  EXPECT_FALSE(LooksLikeIdNumber("1101051990030712399"));
  EXPECT_FALSE(LooksLikeIdNumber("X10105199003071239"));
  EXPECT_FALSE(LooksLikeIdNumber("11010519900307123Y"));
  EXPECT_FALSE(LooksLikeIdNumber("11010549010100X"));
  EXPECT_FALSE(LooksLikeIdNumber("1101054901010"));
  EXPECT_FALSE(LooksLikeIdNumber("P-000123"));
}

TEST(MaskIdNumber, KeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskIdNumber("110105199003071239"), "110105********1239");
  EXPECT_EQ(MaskIdNumber("110105490101002"), "110105*****1002");
  EXPECT_EQ(MaskIdNumber("12345678901"), "123456*8901");
}

TEST(MaskIdNumber, KeepsOnlyLastTwoOfShortText) {
  EXPECT_EQ(MaskIdNumber("123456789"), "*******89");
  EXPECT_EQ(MaskIdNumber("1234567890"), "********90");
  EXPECT_EQ(MaskIdNumber("123"), "*23");
  EXPECT_EQ(MaskIdNumber("12"), "**");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(BirthDateOf, ReadsDigitsSevenToFourteen) {
  EXPECT_EQ(BirthDateOf("11010519491231002X"), (CivilDate{1949, 12, 31}));
  EXPECT_EQ(BirthDateOf("110105199003071239"), (CivilDate{1990, 3, 7}));
  EXPECT_EQ(BirthDateOf("440304200101010030"), (CivilDate{2001, 1, 1}));
}

}  // namespace
}  // namespace swabline::core
