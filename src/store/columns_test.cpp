#include "store/columns.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/document.hpp"
#include "core/place.hpp"
#include "core/role.hpp"
#include "core/tube.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/users.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

/// The message of the StoreError `fn` throws, or "" when it throws none.
template <typename Fn>
std::string StoreErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

TEST(EnumColumn, ParsesACanonicalName) {
  EXPECT_EQ(EnumColumn(core::ParseTubeStatus, "in_box", "tubes", "status"),
            core::TubeStatus::kInBox);
}

TEST(EnumColumn, RefusesAnUnknownNameNamingTableColumnAndValue) {
  EXPECT_EQ(StoreErrorOf([] { EnumColumn(core::ParseTubeStatus, "lost", "tubes", "status"); }),
            "tubes.status holds 'lost', which is no known value (a corrupt row)");
  // No fallback either way: not a near miss, not the empty text.
  EXPECT_NE(StoreErrorOf([] { EnumColumn(core::ParseTubeStatus, "Open", "tubes", "status"); }), "");
  EXPECT_NE(StoreErrorOf([] { EnumColumn(core::ParseRole, "", "users", "role"); }), "");
}

TEST(ReadingARow, ThrowsOnARoleNoEnumKnows) {
  // users.role has no CHECK: a row written around the use cases can hold anything.
  test::TestDb t;
  t.db().Exec(
      "INSERT INTO users(username, password_hash, role, created_at) VALUES ('eve', 'x', "
      "'superuser', 0)");
  EXPECT_EQ(StoreErrorOf([&] { FindUserByName(t.db(), "eve"); }),
            "users.role holds 'superuser', which is no known value (a corrupt row)");
}

TEST(ReadingARow, ThrowsOnADocumentTypeNoEnumKnows) {
  test::TestDb t;
  const core::Place district =
      t.InTx([](Tx& tx) { return InsertPlace(tx, core::PlaceKind::kDistrict, "东城区", nullptr); });
  t.db().Exec(
      "INSERT INTO residents(id, name, doc_type, doc_hash, doc_cipher, doc_masked, place_id, "
      "region, tags, created_at, updated_at) VALUES (7, '王秀英', 'driving_licence', x'01', "
      "x'02', '****', " +
      std::to_string(district.id) + ", 1, '', 0, 0)");
  EXPECT_EQ(StoreErrorOf([&] { FindResident(t.db(), 7); }),
            "residents.doc_type holds 'driving_licence', which is no known value (a corrupt row)");
}

TEST(ReadingARow, RowsWithKnownNamesReadAsTheirEnums) {
  test::TestDb t;
  const core::Place district =
      t.InTx([](Tx& tx) { return InsertPlace(tx, core::PlaceKind::kDistrict, "东城区", nullptr); });
  UserRow user;
  user.username = "lab1";
  user.password_hash = "x";
  user.role = core::Role::kLab;
  t.InTx([&](Tx& tx) { return InsertUser(tx, user, 0); });
  EXPECT_EQ(FindUserByName(t.db(), "lab1")->role, core::Role::kLab);
  EXPECT_EQ(FindPlace(t.db(), district.id)->kind, core::PlaceKind::kDistrict);
}

TEST(ReadingARow, ChecksKeepUnknownNamesOutOfTheCheckedColumns) {
  // Where the schema has a CHECK (places.kind, tubes.status, …) a bad name never lands.
  test::TestDb t;
  const core::Place district =
      t.InTx([](Tx& tx) { return InsertPlace(tx, core::PlaceKind::kDistrict, "东城区", nullptr); });
  EXPECT_THROW(
      t.db().Exec("UPDATE places SET kind = 'planet' WHERE id = " + std::to_string(district.id)),
      StoreError);
  EXPECT_EQ(FindPlace(t.db(), district.id)->kind, core::PlaceKind::kDistrict);
}

}  // namespace
}  // namespace swabline::store
