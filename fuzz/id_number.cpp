// Resident ID numbers as typed, scanned or read from a roster (core/id_number.hpp).
#include "core/id_number.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = swabline::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const core::CivilDate today{2026, 12, 3};
  (void)core::LooksLikeIdNumber(text);
  (void)core::MaskIdNumber(text);
  auto id = core::NormalizeIdNumber(text, today);
  if (!id) return 0;
  // A normalised number is canonical: normalising it again changes nothing.
  auto again = core::NormalizeIdNumber(*id, today);
  if (!again || *again != *id) std::abort();
  if (!core::LooksLikeIdNumber(*id)) std::abort();
  if (core::BirthDateOf(*id) > today) std::abort();
  if (core::IdNumberCheckCharacter(std::string_view(*id).substr(0, 17)) != (*id)[17]) std::abort();
  return 0;
}
