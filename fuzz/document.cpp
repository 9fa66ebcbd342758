// Identity documents other than the resident ID (core/document.hpp): the first byte picks the
// type, the rest is the number as sent.
#include "core/document.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = swabline::core;
  if (size == 0) return 0;
  const auto type = static_cast<core::DocumentType>(data[0] % 4);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)core::ParseDocumentType(text);
  (void)core::MaskDocument(type, text);
  auto number = core::NormalizeDocument(type, text, core::CivilDate{2026, 12, 3});
  if (!number) return 0;
  auto again = core::NormalizeDocument(type, *number, core::CivilDate{2026, 12, 3});
  if (!again || *again != *number) std::abort();
  (void)core::MaskDocument(type, *number);
  return 0;
}
