#include "core/request.hpp"

namespace swabline::core {
namespace {

constexpr std::array<std::string_view, 5> kCategoryNames = {"medicine", "food", "medical",
                                                            "code_popup", "other"};
constexpr std::array<std::string_view, 3> kStatusNames = {"open", "assigned", "closed"};
constexpr Micros kHour = 3600LL * 1'000'000;

}  // namespace

std::string_view RequestCategoryName(RequestCategory c) {
  return kCategoryNames[static_cast<std::size_t>(c)];
}

std::optional<RequestCategory> ParseRequestCategory(std::string_view name) {
  for (std::size_t i = 0; i < kCategoryNames.size(); ++i)
    if (kCategoryNames[i] == name) return static_cast<RequestCategory>(i);
  return std::nullopt;
}

Micros RequestDueAt(const RequestDueHours& due, RequestCategory category, Micros created_at) {
  return created_at + due.Of(category) * kHour;
}

std::string_view RequestStatusName(RequestStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<RequestStatus> ParseRequestStatus(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i)
    if (kStatusNames[i] == name) return static_cast<RequestStatus>(i);
  return std::nullopt;
}

}  // namespace swabline::core
