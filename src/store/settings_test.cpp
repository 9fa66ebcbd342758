#include "store/settings.hpp"

#include <gtest/gtest.h>

#include "support/store/test_support.hpp"

namespace swabline::store {

void PrintTo(const SettingLeaf& leaf, std::ostream* os) {
  *os << leaf.key << "=";
  std::visit([os](const auto& v) { *os << v; }, leaf.value);
  *os << "(" << leaf.value.index() << ")";
}

namespace {

TEST(Settings, AMissingKeyIsNone) {
  test::TestDb t;
  EXPECT_EQ(FindSettingLeaves(t.db(), "zone_policy"), std::nullopt);
  EXPECT_EQ(FindSettingText(t.db(), "zone_policy"), std::nullopt);
}

TEST(Settings, StoresLeavesAsANestedDocumentAndReadsThemBackInOrder) {
  test::TestDb t;
  const std::vector<SettingLeaf> leaves{{"positive.unit", std::string("sealed")},
                                        {"retest_due_hours", std::int64_t{24}},
                                        {"lift.sealed.days_without_positive", std::int64_t{7}},
                                        {"lift.sealed.all_negative_round_on_last_day", true},
                                        {"lift.controlled.all_negative_round_on_last_day", false}};
  t.InTx([&](Tx& tx) { PutSetting(tx, "zone_policy", leaves, 5, "admin"); });
  EXPECT_EQ(FindSettingText(t.db(), "zone_policy"),
            R"({"positive":{"unit":"sealed"},"retest_due_hours":24,"lift":{"sealed":)"
            R"({"days_without_positive":7,"all_negative_round_on_last_day":true},)"
            R"("controlled":{"all_negative_round_on_last_day":false}}})");
  EXPECT_EQ(FindSettingLeaves(t.db(), "zone_policy"), leaves);
}

TEST(Settings, ReplacesTheWholeDocument) {
  test::TestDb t;
  t.InTx([](Tx& tx) { PutSetting(tx, "k", {{"a.b", std::int64_t{1}}}, 1, "admin"); });
  t.InTx([](Tx& tx) { PutSetting(tx, "k", {{"c", std::string("x")}}, 2, "root"); });
  EXPECT_EQ(FindSettingText(t.db(), "k"), R"({"c":"x"})");
  auto q = t.db().Query("SELECT updated_at, updated_by FROM settings WHERE key = 'k'");
  ASSERT_EQ(q->Next(), Step::kRow);
  EXPECT_EQ(q->Int(0), 2);
  EXPECT_EQ(q->Str(1), "root");
}

TEST(Settings, GivesOtherJsonValuesAsTextUnderTheirPath) {
  test::TestDb t;
  t.db().Exec(R"(INSERT INTO settings VALUES ('k', '{"a":1.5,"b":null,"c":[7]}', 1, NULL))");
  EXPECT_EQ(FindSettingLeaves(t.db(), "k"),
            (std::vector<SettingLeaf>{
                {"a", std::string("1.5")}, {"b", std::string()}, {"c[0]", std::int64_t{7}}}));
}

constexpr NumberMember kMembers[] = {{"rate"}, {"count", true}};

TEST(NumberSetting, StoresWholeMembersAsIntegersAndReadsTheValuesBackInOrder) {
  test::TestDb t;
  const double values[] = {0.95, 20};
  t.InTx([&](Tx& tx) { PutNumberSetting(tx, "k", kMembers, values, 7, "admin"); });
  EXPECT_EQ(FindSettingText(t.db(), "k"), R"({"rate":0.95,"count":20})");
  auto doc = FindNumberSetting(t.db(), "k", kMembers);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->values, (std::vector<double>{0.95, 20}));
  EXPECT_EQ(doc->updated_at, 7);
  EXPECT_EQ(doc->updated_by, "admin");
}

TEST(NumberSetting, IsNoneWhenAMemberIsMissingOrMistyped) {
  test::TestDb t;
  EXPECT_FALSE(FindNumberSetting(t.db(), "k", kMembers));
  t.db().Exec(R"(INSERT INTO settings VALUES ('k', '{"rate":1,"count":2.5}', 1, NULL))");
  EXPECT_FALSE(FindNumberSetting(t.db(), "k", kMembers));  // count must be whole
  t.db().Exec(R"(UPDATE settings SET value = '{"rate":"x","count":2}')");
  EXPECT_FALSE(FindNumberSetting(t.db(), "k", kMembers));
  t.db().Exec(R"(UPDATE settings SET value = '{"count":2}')");
  EXPECT_FALSE(FindNumberSetting(t.db(), "k", kMembers));
  t.db().Exec(R"(UPDATE settings SET value = '{"rate":1,"count":2}')");
  EXPECT_TRUE(FindNumberSetting(t.db(), "k", kMembers));
}

}  // namespace
}  // namespace swabline::store
