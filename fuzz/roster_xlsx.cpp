// A resident roster uploaded as an .xlsx workbook: a zip of XML parts read with libzip and
// expat (service/roster_rows.hpp). Every field it yields is UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/text_encoding.hpp"
#include "service/roster_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto rows = swabline::service::OpenXlsxRows(bytes);
  if (!rows) return 0;
  std::vector<std::string> fields;
  while ((*rows)->Next(fields)) {
    for (const auto& f : fields)
      if (!swabline::core::IsValidUtf8(f)) std::abort();
  }
  return 0;
}
