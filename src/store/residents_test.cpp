#include "store/residents.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/place.hpp"
#include "store/places.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

ResidentRow Row(std::string name, std::int64_t place_id) {
  ResidentRow r;
  r.name = name;
  r.doc_type = core::DocumentType::kResidentId;
  r.doc_hash = "hash of " + name;
  r.doc_cipher = "sealed";
  r.doc_masked = "110105********1239";
  r.place_id = place_id;
  return r;
}

std::vector<std::string> NamesUnder(Connection& db, const std::string& id_path,
                                    std::string_view prefix = "") {
  std::vector<std::string> names;
  for (const ResidentRow& r : ListResidentsUnder(db, id_path, prefix, 0, 100))
    names.push_back(r.name);
  return names;
}

TEST(ListResidentsUnder, KeepsToTheSubtreeWhenOnePlaceIdIsAPrefixOfAnother) {
  // Districts 1 and 10: id_path "/1/" must not take in "/10/".
  test::TestDb t;
  std::vector<core::Place> districts;
  t.InTx([&](Tx& tx) {
    for (int i = 1; i <= 10; ++i)
      districts.push_back(
          InsertPlace(tx, core::PlaceKind::kDistrict, "D" + std::to_string(i), nullptr));
    const core::Place street = InsertPlace(tx, core::PlaceKind::kStreet, "S", &districts[0]);
    ASSERT_TRUE(InsertResident(tx, Row("in 1", districts[0].id), 0));
    ASSERT_TRUE(InsertResident(tx, Row("in 1/street", street.id), 0));
    ASSERT_TRUE(InsertResident(tx, Row("in 10", districts[9].id), 0));
  });
  ASSERT_EQ(districts[0].id_path, "/1/");
  ASSERT_EQ(districts[9].id_path, "/10/");

  EXPECT_EQ(NamesUnder(t.db(), "/1/"), (std::vector<std::string>{"in 1", "in 1/street"}));
  EXPECT_EQ(NamesUnder(t.db(), "/10/"), (std::vector<std::string>{"in 10"}));
  EXPECT_EQ(NamesUnder(t.db(), "/").size(), 3u);
}

TEST(ListResidentsUnder, NarrowsByTheStartOfAChineseName) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    const core::Place d = InsertPlace(tx, core::PlaceKind::kDistrict, "朝阳区", nullptr);
    for (const char* name : {"王伟", "王芳", "李娜", "汪洋"})
      ASSERT_TRUE(InsertResident(tx, Row(name, d.id), 0));
  });
  EXPECT_EQ(NamesUnder(t.db(), "/", "王"), (std::vector<std::string>{"王伟", "王芳"}));
  EXPECT_EQ(NamesUnder(t.db(), "/", "王芳"), (std::vector<std::string>{"王芳"}));
  EXPECT_TRUE(NamesUnder(t.db(), "/", "张").empty());
}

TEST(InsertResident, RefusesADocumentAlreadyRegistered) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    const core::Place d = InsertPlace(tx, core::PlaceKind::kDistrict, "朝阳区", nullptr);
    ASSERT_TRUE(InsertResident(tx, Row("王伟", d.id), 0));
    EXPECT_FALSE(InsertResident(tx, Row("王伟", d.id), 0));
  });
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM residents"), 1);
}

}  // namespace
}  // namespace swabline::store
