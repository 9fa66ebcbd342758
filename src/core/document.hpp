#pragma once
/// Identity documents other than the resident ID number, each with its own format check.

#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.hpp"
#include "core/result.hpp"

namespace swabline::core {

enum class DocumentType {
  kResidentId,     // resident_id: 居民身份证, see id_number.hpp
  kPassport,       // passport: Chinese (E/G + 8) or foreign (5-17 letters and digits)
  kHkMacaoPermit,  // hk_macao_permit: 港澳居民来往内地通行证, H/M + 8 or 10 digits
  kTaiwanPermit,   // taiwan_permit: 台湾居民来往大陆通行证, 8 or 10 digits
};

std::string_view DocumentTypeName(DocumentType type);
std::optional<DocumentType> ParseDocumentType(std::string_view name);

/// Validates and canonicalises a document number of the given type (upper-cased, trimmed).
/// Fails with kInvalidIdNumber for resident IDs and kInvalidDocument for the others.
Result<std::string> NormalizeDocument(DocumentType type, std::string_view raw, CivilDate today);

/// Masks any document number: first 6 and last 4 kept for resident IDs; for shorter
/// documents the first 2 and the last 2.
std::string MaskDocument(DocumentType type, std::string_view number);

}  // namespace swabline::core
