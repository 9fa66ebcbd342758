#pragma once
/// Residents' requests (docs/api.md, "Community operations"): what a resident may ask for,
/// how long each kind may wait before it is overdue, and the states a request passes through.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/civil_time.hpp"

namespace swabline::core {

enum class RequestCategory { kMedicine, kFood, kMedical, kCodePopup, kOther };

inline constexpr std::array<RequestCategory, 5> kRequestCategories = {
    RequestCategory::kMedicine, RequestCategory::kFood, RequestCategory::kMedical,
    RequestCategory::kCodePopup, RequestCategory::kOther};

/// "medicine", "food", "medical", "code_popup", "other".
std::string_view RequestCategoryName(RequestCategory c);
std::optional<RequestCategory> ParseRequestCategory(std::string_view name);

/// Hours a request of each category may wait before it is overdue, in kRequestCategories'
/// order. The defaults put a medical visit (2 h) and medicine (4 h) ahead of food (12 h) and
/// a health-code pop-up or anything else (24 h): the first two can harm within the day.
struct RequestDueHours {
  std::array<std::int64_t, 5> hours = {4, 12, 2, 24, 24};
  std::int64_t Of(RequestCategory c) const { return hours[static_cast<std::size_t>(c)]; }
  std::int64_t& Of(RequestCategory c) { return hours[static_cast<std::size_t>(c)]; }
};

/// The most hours a category may be given: a week. More would hide a request from the
/// overdue list for good.
inline constexpr std::int64_t kMaxRequestDueHours = std::int64_t{24} * 7;

/// When a request of `category` made at `created_at` becomes overdue.
Micros RequestDueAt(const RequestDueHours& due, RequestCategory category, Micros created_at);

enum class RequestStatus { kOpen, kAssigned, kClosed };

/// "open", "assigned", "closed".
std::string_view RequestStatusName(RequestStatus s);
std::optional<RequestStatus> ParseRequestStatus(std::string_view name);

}  // namespace swabline::core
