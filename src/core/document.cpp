#include "core/document.hpp"

#include <cstddef>
#include <string>
#include <utility>

#include "core/error_code.hpp"
#include "core/id_number.hpp"

namespace swabline::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string TrimAndUpper(std::string_view raw) {
  while (!raw.empty() && IsAsciiSpace(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && IsAsciiSpace(raw.back())) raw.remove_suffix(1);
  std::string out(raw);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

Error Invalid(std::string detail) { return Fail(ErrorCode::kInvalidDocument, std::move(detail)); }

// Chinese ordinary passports (E + 8 digits, E + a letter other than I/O + 7 digits, G + 8
// digits) are all 9 letters and digits with at least one digit, so the general rule for foreign
// passports admits them too; a separate check would accept or refuse nothing more.
Result<std::string> NormalizePassport(std::string number) {
  if (number.empty()) return Invalid("the passport number is empty");
  bool has_digit = false;
  for (char c : number) {
    if (!IsDigit(c) && !IsUpper(c)) {
      return Invalid("a passport number may contain only the letters A-Z and digits");
    }
    has_digit = has_digit || IsDigit(c);
  }
  if (number.size() < 5 || number.size() > 17) {
    return Invalid("a passport number has 5 to 17 letters and digits, this one has " +
                   std::to_string(number.size()));
  }
  if (!has_digit) return Invalid("a passport number contains at least one digit");
  return number;
}

Result<std::string> NormalizeHkMacaoPermit(std::string number) {
  if (number.empty()) return Invalid("the Hong Kong/Macao permit number is empty");
  const std::string_view digits = std::string_view(number).substr(1);
  if ((number[0] != 'H' && number[0] != 'M') || (digits.size() != 8 && digits.size() != 10) ||
      !AllDigits(digits)) {
    return Invalid("a Hong Kong/Macao permit number is H or M followed by 8 or 10 digits");
  }
  return number;
}

Result<std::string> NormalizeTaiwanPermit(std::string number) {
  if (number.empty()) return Invalid("the Taiwan permit number is empty");
  if ((number.size() != 8 && number.size() != 10) || !AllDigits(number)) {
    return Invalid("a Taiwan permit number is 8 or 10 digits");
  }
  return number;
}

}  // namespace

std::string_view DocumentTypeName(DocumentType type) {
  switch (type) {
    case DocumentType::kResidentId: return "resident_id";
    case DocumentType::kPassport: return "passport";
    case DocumentType::kHkMacaoPermit: return "hk_macao_permit";
    case DocumentType::kTaiwanPermit: return "taiwan_permit";
  }
  return "resident_id";
}

std::optional<DocumentType> ParseDocumentType(std::string_view name) {
  if (name == "resident_id" || name == "id_card") return DocumentType::kResidentId;
  if (name == "passport") return DocumentType::kPassport;
  if (name == "hk_macao_permit") return DocumentType::kHkMacaoPermit;
  if (name == "taiwan_permit") return DocumentType::kTaiwanPermit;
  return std::nullopt;
}

Result<std::string> NormalizeDocument(DocumentType type, std::string_view raw, CivilDate today) {
  switch (type) {
    case DocumentType::kResidentId: return NormalizeIdNumber(raw, today);
    case DocumentType::kPassport: return NormalizePassport(TrimAndUpper(raw));
    case DocumentType::kHkMacaoPermit: return NormalizeHkMacaoPermit(TrimAndUpper(raw));
    case DocumentType::kTaiwanPermit: return NormalizeTaiwanPermit(TrimAndUpper(raw));
  }
  return Invalid("unknown document type");
}

std::string MaskDocument(DocumentType type, std::string_view number) {
  if (type == DocumentType::kResidentId) return MaskIdNumber(number);
  constexpr std::size_t kKeep = 2;
  const std::size_t n = number.size();
  // Keeping 2 + 2 of a string of 4 or fewer would reveal all of it.
  if (n <= 2 * kKeep) {
    std::string all_stars(n == 0 ? 1 : n, '*');
    return all_stars;
  }
  std::string masked;
  masked.reserve(n);
  masked.append(number.substr(0, kKeep));
  masked.append(n - 2 * kKeep, '*');
  masked.append(number.substr(n - kKeep));
  return masked;
}

}  // namespace swabline::core
