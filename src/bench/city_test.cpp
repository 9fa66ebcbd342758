#include "bench/city.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace swabline::bench {
namespace {

/// Gives a city units and no database: unit u holds residents u * 10 … u * 10 +
/// size - 1.
void AddUnits(City& city, std::initializer_list<std::uint32_t> sizes) {
  std::uint32_t u = 0;
  for (std::uint32_t size : sizes) {
    auto& unit = city.units.emplace_back();
    for (std::uint32_t i = 0; i < size; ++i) unit.push_back(u * 10 + i);
    ++u;
  }
}

TEST(UnitPicker, PicksConsecutiveResidentsFromDistinctUnits) {
  City city;
  AddUnits(city, {3, 3, 3, 3});
  UnitPicker picker(city);
  std::set<std::uint32_t> units;
  for (int i = 0; i < 4; ++i) units.insert(picker.Next() / 10);
  EXPECT_EQ(units.size(), 4u);
}

TEST(UnitPicker, SkipsEmptiedUnitsAndHandsOutEveryResidentOnce) {
  City city;
  AddUnits(city, {1, 3, 2});
  UnitPicker picker(city);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(seen.insert(picker.Next()).second);
  EXPECT_EQ(seen, (std::set<std::uint32_t>{0, 10, 11, 12, 20, 21}));
  EXPECT_THROW(picker.Next(), std::runtime_error);
}

}  // namespace
}  // namespace swabline::bench
