#include "core/document.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/error_code.hpp"

namespace swabline::core {
namespace {

constexpr CivilDate kToday{2026, 5, 1};

std::string Normalized(DocumentType type, std::string_view raw) {
  auto result = NormalizeDocument(type, raw, kToday);
  EXPECT_TRUE(result.ok()) << raw << ": " << (result.ok() ? "" : result.error().detail);
  return result.ok() ? *result : "";
}

Error Rejection(DocumentType type, std::string_view raw) {
  auto result = NormalizeDocument(type, raw, kToday);
  EXPECT_FALSE(result.ok()) << raw;
  if (result.ok()) return {};
  EXPECT_FALSE(result.error().detail.empty());
  return result.error();
}

TEST(DocumentTypeName, NamesEveryType) {
  EXPECT_EQ(DocumentTypeName(DocumentType::kResidentId), "resident_id");
  EXPECT_EQ(DocumentTypeName(DocumentType::kPassport), "passport");
  EXPECT_EQ(DocumentTypeName(DocumentType::kHkMacaoPermit), "hk_macao_permit");
  EXPECT_EQ(DocumentTypeName(DocumentType::kTaiwanPermit), "taiwan_permit");
}

TEST(ParseDocumentType, InvertsDocumentTypeName) {
  for (DocumentType type : {DocumentType::kResidentId, DocumentType::kPassport,
                            DocumentType::kHkMacaoPermit, DocumentType::kTaiwanPermit}) {
    EXPECT_EQ(ParseDocumentType(DocumentTypeName(type)), type);
  }
}

TEST(ParseDocumentType, AcceptsIdCardAsResidentId) {
  EXPECT_EQ(ParseDocumentType("id_card"), DocumentType::kResidentId);
}

TEST(ParseDocumentType, RejectsUnknownNames) {
  EXPECT_EQ(ParseDocumentType(""), std::nullopt);
  EXPECT_EQ(ParseDocumentType("driving_licence"), std::nullopt);
  EXPECT_EQ(ParseDocumentType("Passport"), std::nullopt);
}

TEST(NormalizeDocument, DelegatesResidentIdToIdNumberRules) {
  EXPECT_EQ(Normalized(DocumentType::kResidentId, " 11010519491231002x "), "11010519491231002X");
  const Error error = Rejection(DocumentType::kResidentId, "110105194912310023");
  EXPECT_EQ(error.code, ErrorCode::kInvalidIdNumber);
  EXPECT_EQ(error.detail, "check character should be X, not 3");
}

TEST(NormalizeDocument, AcceptsChinesePassports) {
  EXPECT_EQ(Normalized(DocumentType::kPassport, "E12345678"), "E12345678");
  EXPECT_EQ(Normalized(DocumentType::kPassport, "EA1234567"), "EA1234567");
  EXPECT_EQ(Normalized(DocumentType::kPassport, " g12345678\t"), "G12345678");
  EXPECT_EQ(Normalized(DocumentType::kPassport, "ej1234567"), "EJ1234567");
}

TEST(NormalizeDocument, AcceptsForeignPassports) {
  EXPECT_EQ(Normalized(DocumentType::kPassport, "C01X00T47"), "C01X00T47");
  EXPECT_EQ(Normalized(DocumentType::kPassport, "12345"), "12345");
  EXPECT_EQ(Normalized(DocumentType::kPassport, "ab1cdefghijklmnop"), "AB1CDEFGHIJKLMNOP");
}

TEST(NormalizeDocument, RejectsMalformedPassports) {
  for (std::string_view raw : {"", "   ", "A123", "ABCDEFGH", "E1234-5678", "E 12345678",
                               "AB1CDEFGHIJKLMNOPQ", "Ｅ12345678"}) {
    EXPECT_EQ(Rejection(DocumentType::kPassport, raw).code, ErrorCode::kInvalidDocument) << raw;
  }
  EXPECT_EQ(Rejection(DocumentType::kPassport, "ABCDEFGH").detail,
            "a passport number contains at least one digit");
  EXPECT_EQ(Rejection(DocumentType::kPassport, "A123").detail,
            "a passport number has 5 to 17 letters and digits, this one has 4");
  EXPECT_EQ(Rejection(DocumentType::kPassport, "E1234-5678").detail,
            "a passport number may contain only the letters A-Z and digits");
}

TEST(NormalizeDocument, AcceptsHkMacaoPermits) {
  EXPECT_EQ(Normalized(DocumentType::kHkMacaoPermit, "H12345678"), "H12345678");
  EXPECT_EQ(Normalized(DocumentType::kHkMacaoPermit, "m1234567890"), "M1234567890");
  EXPECT_EQ(Normalized(DocumentType::kHkMacaoPermit, " H1234567890 "), "H1234567890");
}

TEST(NormalizeDocument, RejectsMalformedHkMacaoPermits) {
  for (std::string_view raw : {"", "H", "H1234567", "H123456789", "H123456789012", "A12345678",
                               "12345678", "H1234567X", "HM12345678"}) {
    EXPECT_EQ(Rejection(DocumentType::kHkMacaoPermit, raw).code, ErrorCode::kInvalidDocument)
        << raw;
  }
  EXPECT_EQ(Rejection(DocumentType::kHkMacaoPermit, "A12345678").detail,
            "a Hong Kong/Macao permit number is H or M followed by 8 or 10 digits");
}

TEST(NormalizeDocument, AcceptsTaiwanPermits) {
  EXPECT_EQ(Normalized(DocumentType::kTaiwanPermit, "12345678"), "12345678");
  EXPECT_EQ(Normalized(DocumentType::kTaiwanPermit, " 1234567890 "), "1234567890");
}

TEST(NormalizeDocument, RejectsMalformedTaiwanPermits) {
  for (std::string_view raw :
       {"", "1234567", "123456789", "12345678901", "T1234567", "1234 5678"}) {
    EXPECT_EQ(Rejection(DocumentType::kTaiwanPermit, raw).code, ErrorCode::kInvalidDocument) << raw;
  }
  EXPECT_EQ(Rejection(DocumentType::kTaiwanPermit, "123456789").detail,
            "a Taiwan permit number is 8 or 10 digits");
}

TEST(MaskDocument, UsesIdNumberMaskForResidentIds) {
  EXPECT_EQ(MaskDocument(DocumentType::kResidentId, "11010519491231002X"), "110105********002X");
}

TEST(MaskDocument, KeepsFirstTwoAndLastTwoOfOtherDocuments) {
  EXPECT_EQ(MaskDocument(DocumentType::kPassport, "E12345678"), "E1*****78");
  EXPECT_EQ(MaskDocument(DocumentType::kHkMacaoPermit, "H1234567890"), "H1*******90");
  EXPECT_EQ(MaskDocument(DocumentType::kTaiwanPermit, "12345678"), "12****78");
  EXPECT_EQ(MaskDocument(DocumentType::kPassport, "12345"), "12*45");
}

TEST(MaskDocument, NeverRevealsAVeryShortNumber) {
  EXPECT_EQ(MaskDocument(DocumentType::kPassport, "1234"), "****");
  EXPECT_EQ(MaskDocument(DocumentType::kPassport, "1"), "*");
  EXPECT_EQ(MaskDocument(DocumentType::kPassport, ""), "*");
}

}  // namespace
}  // namespace swabline::core
