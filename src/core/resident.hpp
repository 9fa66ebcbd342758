#pragma once
/// A resident of the registry, as the use cases see them (ID number already masked or
/// revealed by the service; the clear number never leaves the service layer otherwise).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"

namespace swabline::core {

struct Resident {
  std::int64_t id = 0;
  std::string name;
  DocumentType doc_type = DocumentType::kResidentId;
  std::string id_number_masked;
  std::string id_number;  // empty unless revealed
  std::string phone;
  std::int64_t place_id = 0;
  std::string address;  // the place path
  std::vector<std::string> tags;
  bool walk_in = false;
};

/// Splits "elderly; Bedridden" into tags, lower-cased and de-duplicated. Unknown tags are kept:
/// communities invent their own.
std::vector<std::string> ParseTags(std::string_view semicolon_separated);
/// ";elderly;bedridden;" — the stored form, so a LIKE '%;elderly;%' finds a tag.
std::string JoinTagsForStorage(const std::vector<std::string>& tags);
std::vector<std::string> SplitStoredTags(std::string_view stored);

}  // namespace swabline::core
