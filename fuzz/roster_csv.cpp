// A resident roster uploaded as CSV, in UTF-8 or GB18030 (service/roster_rows.hpp), read as
// the import reads it: the header mapped to columns (core/roster_columns.hpp), each row's
// fields and document checked (core/id_number.hpp, core/document.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/id_number.hpp"
#include "core/roster_columns.hpp"
#include "core/text_encoding.hpp"
#include "service/roster_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = swabline::core;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto rows = swabline::service::OpenCsvRows(bytes);
  if (!rows) return 0;
  std::vector<std::string> fields;
  if (!(*rows)->Next(fields)) return 0;
  auto columns = core::RosterColumns::FromHeader(fields);
  while ((*rows)->Next(fields)) {
    for (const auto& f : fields)
      if (!core::IsValidUtf8(f)) std::abort();
    const double progress = (*rows)->progress();
    if (progress < 0 || progress > 1) std::abort();
    if (!columns) continue;
    for (std::size_t c = 0; c < core::kRosterColumnCount; ++c)
      (void)core::LooksLikeScientificNumber(
          columns->Field(fields, static_cast<core::RosterColumn>(c)));
    auto type = core::ParseDocumentType(columns->Field(fields, core::RosterColumn::kDocType));
    (void)core::NormalizeDocument(type.value_or(core::DocumentType::kResidentId),
                                  columns->Field(fields, core::RosterColumn::kIdNumber),
                                  core::CivilDate{2026, 12, 3});
  }
  return 0;
}
