#pragma once
/// Printable sheets of personal codes (docs/architecture.md, Security and privacy) for residents
/// without phones: an A4 page of cut-out cards, each with the QR code, the name, the masked
/// ID number and the address, for every resident of a community, building, unit or room.

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// Cards per page: three columns of four rows.
inline constexpr int kCodeSheetColumns = 3;
inline constexpr int kCodeSheetRows = 4;
inline constexpr int kCodesPerSheet = kCodeSheetColumns * kCodeSheetRows;

struct CodeSheetPage {
  std::string svg;  // one A4 page, viewBox in millimetres
  int page = 1;     // 1-based
  int page_count = 1;
  std::int64_t residents = 0;  // under the place, on all pages
};

/// Page `page` (1-based) of the code sheet for the residents under `place_id`, ordered by
/// address then name (natural order: 2号楼 before 10号楼). Signs each card's current code.
/// kReadResidents, in scope; kUnknownPlace; kInvalidField for a page past the last or a place
/// above a community (too many residents to print).
core::Result<CodeSheetPage> CodeSheetSvg(store::Connection& db, const Env& env, const Actor& actor,
                                         std::int64_t place_id, int page);

}  // namespace swabline::service
