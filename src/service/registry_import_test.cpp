#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/place.hpp"
#include "core/role.hpp"
#include "service/demo_city.hpp"
#include "service/registry.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"
#include "store/writer.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::Role;
using test::Csv;
using test::IdNumber;
using test::World;

constexpr std::string_view kCommunity = "朝阳区/和平街街道/小黄庄社区";

/// A row of the standard header in 朝阳区/和平街街道/小黄庄社区 unless told otherwise.
std::string Row(
    const std::string& id_number, std::string_view name,
    std::string_view rest = "13800000001,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,") {
  return id_number + "," + std::string(name) + "," + std::string(rest);
}

std::string WithWrongCheckCharacter(std::string id_number) {
  id_number.back() = id_number.back() == '0' ? '1' : '0';
  return id_number;
}

/// Each rejected row as (line, code).
using Rejections = std::vector<std::pair<std::size_t, std::string>>;

Rejections LinesAndCodes(const ImportReport& report) {
  Rejections out;
  for (const RejectedRow& r : report.rejected) out.emplace_back(r.line, r.code);
  return out;
}

TEST(ImportResidents, CreatesNewResidentsAndCountsThem) {
  World w;
  auto report =
      w.Import(Actor::System(),
               Csv({Row(IdNumber(1), "王伟"), Row(IdNumber(2), "王芳"), Row(IdNumber(3), "李娜")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 3u);
  EXPECT_EQ(report->updated, 0u);
  EXPECT_TRUE(report->rejected.empty());
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 3);
}

TEST(ImportResidents, UpdatesAResidentWhoseIdNumberIsAlreadyRegistered) {
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟",
                      "13800000001,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,elderly")}));
  const std::int64_t id = w.ResidentIdOf(IdNumber(1));

  auto report =
      w.Import(Actor::System(),
               Csv({Row(IdNumber(1), "王伟民",
                        "13900000009,朝阳区,和平街街道,小黄庄社区,5号楼,2单元,402,worker; Student"),
                    Row(IdNumber(2), "王芳")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 1u);
  EXPECT_EQ(report->updated, 1u);
  EXPECT_TRUE(report->rejected.empty());

  auto row = store::FindResident(w.conn(), id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "王伟民");
  EXPECT_EQ(row->phone, "13900000009");
  EXPECT_EQ(row->place_path, "朝阳区/和平街街道/小黄庄社区/5号楼/2单元/402");
  EXPECT_EQ(row->tags, ";worker;student;");
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 2);
}

TEST(ImportResidents, RejectsRowWithWrongCheckCharacter) {
  World w;
  auto report = w.Import(Actor::System(), Csv({Row(IdNumber(1), "王伟"),
                                               Row(WithWrongCheckCharacter(IdNumber(2)), "王芳"),
                                               Row(IdNumber(3), "李娜")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 2u);
  ASSERT_EQ(LinesAndCodes(*report), (Rejections{{3, "invalid_id_number"}}));
  EXPECT_NE(report->rejected[0].detail.find("check character"), std::string::npos)
      << report->rejected[0].detail;
}

TEST(ImportResidents, RejectsRowsWithTheWrongShapeOfIdNumber) {
  World w;
  auto report = w.Import(Actor::System(),
                         Csv({Row("12345", "王伟"), Row(IdNumber(2).substr(0, 17) + "Y", "王芳"),
                              Row("110105199002301230", "李娜")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 0u);
  EXPECT_EQ(
      LinesAndCodes(*report),
      (Rejections{{2, "invalid_id_number"}, {3, "invalid_id_number"}, {4, "invalid_id_number"}}));
}

TEST(ImportResidents, RejectsRowWithEmptyName) {
  World w;
  auto report = w.Import(Actor::System(), Csv({Row(IdNumber(1), ""), Row(IdNumber(2), "  ")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{2, "missing_field"}, {3, "missing_field"}}));
  EXPECT_NE(report->rejected[0].detail.find("'name'"), std::string::npos);
  EXPECT_EQ(report->created, 0u);
}

TEST(ImportResidents, RejectsRowWithEmptyCommunity) {
  World w;
  auto report =
      w.Import(Actor::System(),
               Csv({Row(IdNumber(1), "王伟"),
                    Row(IdNumber(2), "王芳", "13800000002,朝阳区,和平街街道,,1号楼,1单元,101,")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 1u);
  ASSERT_EQ(LinesAndCodes(*report), (Rejections{{3, "missing_field"}}));
  EXPECT_NE(report->rejected[0].detail.find("'community'"), std::string::npos);
}

TEST(ImportResidents, RejectsAShortRowAsMissingFields) {
  World w;
  auto report = w.Import(Actor::System(), Csv({IdNumber(1) + ",王伟"}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{2, "missing_field"}}));
}

TEST(ImportResidents, RejectsTheLaterRowOfAnIdNumberRepeatedInTheFile) {
  World w;
  std::string upper_x;
  for (int seq = 0; upper_x.empty(); ++seq)
    if (IdNumber(seq).back() == 'X') upper_x = IdNumber(seq);
  std::string lower_x = upper_x;
  lower_x.back() = 'x';

  auto report = w.Import(Actor::System(), Csv({Row(IdNumber(1), "王伟"), Row(upper_x, "王芳"),
                                               Row(IdNumber(1), "王伟"), Row(lower_x, "王芳")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 2u);
  EXPECT_EQ(LinesAndCodes(*report),
            (Rejections{{4, "duplicate_in_file"}, {5, "duplicate_in_file"}}));
}

TEST(ImportResidents, RejectsAnUnknownDocType) {
  World w;
  const std::string csv =
      "id_number,name,phone,district,street,community,building,unit,room,tags,doc_type\n" +
      Row(IdNumber(1), "王伟") + "\n" + Row("E12345678", "Smith") + ",driving_licence\n" +
      Row("e12345678", "Smith") + ",passport\n" + Row(IdNumber(2), "王芳") + ",id_card\n";
  auto report = w.Import(Actor::System(), csv);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 3u);
  ASSERT_EQ(LinesAndCodes(*report), (Rejections{{3, "invalid_document"}}));
  EXPECT_NE(report->rejected[0].detail.find("driving_licence"), std::string::npos);

  auto passport = store::FindResidentByDocHash(w.conn(), w.vault.Digest("passport:E12345678"));
  ASSERT_TRUE(passport.has_value());
  EXPECT_EQ(passport->doc_type, core::DocumentType::kPassport);
  EXPECT_EQ(passport->doc_masked, "E1*****78");
}

TEST(ImportResidents, RejectsAnInvalidPassportNumber) {
  World w;
  const std::string csv =
      "id_number,name,phone,district,street,community,building,unit,room,tags,doc_type\n" +
      Row("AB", "Smith") + ",passport\n";
  auto report = w.Import(Actor::System(), csv);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{2, "invalid_document"}}));
}

TEST(ImportResidents, RejectsAPlaceNameHoldingASlash) {
  World w;
  auto report = w.Import(Actor::System(),
                         Csv({Row(IdNumber(1), "王伟",
                                  "13800000001,朝阳区,和平街街道,小黄庄社区,1/2号楼,1单元,101,")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{2, "invalid_place_path"}}));
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 0);
}

TEST(ImportResidents, FailsAsAWholeWhenTheHeaderLacksAColumn) {
  World w;
  const std::string csv = "id_number,name,phone,district,street,building,unit,room,tags\n" +
                          IdNumber(1) + ",王伟,,朝阳区,和平街街道,1号楼,1单元,101,\n";
  auto report = w.Import(Actor::System(), csv);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidRequest);
  EXPECT_NE(report.error().detail.find("'community'"), std::string::npos) << report.error().detail;
  ASSERT_EQ(report.error().extras.size(), 1u);
  EXPECT_EQ(report.error().extras[0], (std::pair<std::string, std::string>{"column", "community"}));
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 0);
}

TEST(ImportResidents, FailsAsAWholeOnAnEmptyFile) {
  World w;
  for (std::string_view csv : {"", "\n\n"}) {
    auto report = w.Import(Actor::System(), csv);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().code, ErrorCode::kInvalidRequest);
  }
}

TEST(ImportResidents, AcceptsAHeaderWithColumnsInAnotherOrder) {
  World w;
  const std::string csv =
      "name,tags,room,unit,building,community,street,district,phone,id_number\n"
      "王伟,elderly,101,1单元,1号楼,小黄庄社区,和平街街道,朝阳区,138," +
      IdNumber(1) + "\n";
  w.ImportOk(csv);
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->name, "王伟");
  EXPECT_EQ(row->place_path, std::string(kCommunity) + "/1号楼/1单元/101");
}

TEST(ImportResidents, CreatesEachPlaceAlongThePathWithItsKind) {
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟")}));

  const std::vector<std::pair<std::string, core::PlaceKind>> expected = {
      {"朝阳区", core::PlaceKind::kDistrict},
      {"朝阳区/和平街街道", core::PlaceKind::kStreet},
      {"朝阳区/和平街街道/小黄庄社区", core::PlaceKind::kCommunity},
      {"朝阳区/和平街街道/小黄庄社区/1号楼", core::PlaceKind::kBuilding},
      {"朝阳区/和平街街道/小黄庄社区/1号楼/1单元", core::PlaceKind::kUnit},
      {"朝阳区/和平街街道/小黄庄社区/1号楼/1单元/101", core::PlaceKind::kRoom},
  };
  std::optional<core::Place> parent;
  for (const auto& [path, kind] : expected) {
    const core::Place place = w.PlaceAt(path);
    EXPECT_EQ(place.kind, kind) << path;
    if (parent) {
      EXPECT_EQ(place.parent_id, parent->id) << path;
      EXPECT_EQ(place.id_path, parent->id_path + std::to_string(place.id) + "/") << path;
    } else {
      EXPECT_FALSE(place.parent_id.has_value());
      EXPECT_EQ(place.id_path, "/" + std::to_string(place.id) + "/");
    }
    parent = place;
  }
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 6);
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  EXPECT_EQ(row->place_id, parent->id);
}

TEST(ImportResidents, PlacesAResidentWithoutABuildingInTheCommunity) {
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟", "138,朝阳区,和平街街道,小黄庄社区,,,,")}));
  auto row = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->place_path, kCommunity);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 3);
}

TEST(ImportResidents, ReusesPlacesThatAlreadyExist) {
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟")}));
  w.ImportOk(Csv({Row(IdNumber(2), "王芳"),
                  Row(IdNumber(3), "李娜", "138,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,102,")}));

  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 7) << "only room 102 is new";
  auto first = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(1)));
  auto second = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(2)));
  EXPECT_EQ(first->place_id, second->place_id);
}

TEST(ImportResidents, StoresTheIdNumberSealedAndMasked) {
  World w;
  const std::string number = IdNumber(123);
  w.ImportOk(Csv({Row(number, "王伟")}));

  auto row = store::FindResident(w.conn(), w.ResidentIdOf(number));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->doc_cipher.find(number), std::string::npos);
  EXPECT_EQ(w.vault.Open(row->doc_cipher), number);
  EXPECT_EQ(row->doc_hash, w.vault.Digest("resident_id:" + number));
  EXPECT_EQ(row->doc_masked, number.substr(0, 6) + "********" + number.substr(14));
  EXPECT_EQ(row->doc_type, core::DocumentType::kResidentId);
}

TEST(ImportResidents, LeavesNoClearIdNumberInTheDatabaseFiles) {
  World w;
  const std::string number = IdNumber(456);
  w.ImportOk(Csv({Row(number, "王伟")}));

  for (const std::string& path : {w.db.path(), w.db.path() + "-wal"}) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(number), std::string::npos) << path;
    EXPECT_EQ(bytes.find(number.substr(0, 14)), std::string::npos) << path;
  }
}

TEST(ImportResidents, RejectsRowsOutsideACommunityActorsPlacesAndKeepsTheOthers) {
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟"),
                  Row(IdNumber(2), "王芳", "138,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,")}));
  const Actor office = w.ActorAt(Role::kCommunity, kCommunity, "xhz-office");

  auto report = w.Import(
      office, Csv({Row(IdNumber(3), "李娜", "138,朝阳区,和平街街道,小黄庄社区,9号楼,1单元,101,"),
                   Row(IdNumber(4), "张敏", "138,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,"),
                   Row(IdNumber(5), "刘洋", "138,朝阳区,和平街街道,新社区,1号楼,1单元,101,"),
                   Row(IdNumber(6), "陈静", "138,海淀区,中关村街道,某社区,1号楼,1单元,101,")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 1u);
  EXPECT_EQ(LinesAndCodes(*report),
            (Rejections{{3, "forbidden"}, {4, "forbidden"}, {5, "forbidden"}}));
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 3);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places WHERE name IN ('新社区', '海淀区')"), 0);
}

TEST(ImportResidents, RejectsOnlyTheRowOfAResidentRegisteredOutsideTheActorsPlaces) {
  // The header promises that only a forbidden actor or a bad header fails an import as a
  // whole; one person who moved in from another community must not block the whole file.
  World w;
  w.ImportOk(Csv({Row(IdNumber(1), "王伟"),
                  Row(IdNumber(2), "王芳", "138,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,")}));
  const Actor office = w.ActorAt(Role::kCommunity, kCommunity, "xhz-office");

  auto report = w.Import(office, Csv({Row(IdNumber(3), "李娜"), Row(IdNumber(2), "王芳")}));
  ASSERT_TRUE(report.ok()) << core::ErrorCodeName(report.error().code) << ": "
                           << report.error().detail;
  EXPECT_EQ(report->created, 1u);
  EXPECT_EQ(report->updated, 0u);
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{3, "forbidden"}}));
  auto moved = store::FindResident(w.conn(), w.ResidentIdOf(IdNumber(2)));
  EXPECT_EQ(moved->place_path, "朝阳区/和平街街道/和平里社区/1号楼/1单元/101");
}

TEST(ImportResidents, RefusesRolesThatMayNotWriteTheRegistry) {
  World w;
  for (Role role : {Role::kRecorder, Role::kViewer, Role::kCommand, Role::kCourier, Role::kLab}) {
    auto report = w.Import(w.ActorAt(role, ""), Csv({Row(IdNumber(1), "王伟")}));
    ASSERT_FALSE(report.ok()) << core::RoleName(role);
    EXPECT_EQ(report.error().code, ErrorCode::kForbidden) << core::RoleName(role);
  }
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), 0);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM places"), 0);
}

TEST(ImportResidents, WritesOneAuditRecordWithTheCounts) {
  World w;
  const Actor admin = w.ActorAt(Role::kAdmin, "", "root");
  auto report = w.Import(admin, Csv({Row(IdNumber(1), "王伟"), Row("bad", "王芳")}));
  ASSERT_TRUE(report.ok());

  const auto audit = w.Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "root");
  EXPECT_EQ(audit[0].action, "resident.import");
  EXPECT_EQ(audit[0].detail, "created=1 updated=0 rejected=1 places_created=6");
  EXPECT_EQ(audit[0].detail.find(IdNumber(1)), std::string::npos);
}

TEST(ImportResidents, ImportsAHundredThousandRowsThroughTheWriter) {
  World w;
  service::CityShape shape;
  shape.streets = 4;
  shape.communities_per_street = 3;
  shape.buildings_per_community = 42;
  std::string csv = DemoCityCsv(shape, 7, core::DateOf(test::kStart));
  constexpr std::size_t kRows = 100'000;
  std::size_t end = 0;
  for (std::size_t line = 0; line < kRows + 1; ++line) {  // the header and kRows rows
    end = csv.find('\n', end);
    ASSERT_NE(end, std::string::npos) << "the demo city has only " << line - 1 << " rows";
    ++end;
  }
  csv.resize(end);

  store::Writer writer(w.db.path());
  const auto started = std::chrono::steady_clock::now();
  auto report = writer.RunSync(
      [&](store::Tx& tx) { return ImportResidents(tx, w.env, Actor::System(), csv); });
  const auto took = std::chrono::steady_clock::now() - started;
  std::cout << "[ info     ] imported " << kRows << " rows in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";

  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, kRows);
  EXPECT_TRUE(report->rejected.empty());
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM residents"), static_cast<std::int64_t>(kRows));
}

TEST(ImportResidents, RejectsARowFarWiderThanItsHeaderOrHoldingUPlus0000) {
  World w;
  const std::string wide = Row(IdNumber(1), "王伟") + std::string(5000, ',');
  const std::string nul = Row(IdNumber(2), std::string("王\0芳", 7));
  auto report = w.Import(Actor::System(), Csv({wide, nul, Row(IdNumber(3), "李娜")}));
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(LinesAndCodes(*report), (Rejections{{2, "too_many_columns"}, {3, "nul_character"}}));
  EXPECT_EQ(report->created, 1u);
}

TEST(ImportResidents, RefusesAHeaderOfMoreColumnsThanTheCap) {
  World w;
  std::string header = "id_number,name,district,street,community";
  for (int i = 0; i < 300; ++i) header += ",extra" + std::to_string(i);
  auto report = w.Import(Actor::System(), header + "\n");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kTooManyColumns);
}

}  // namespace
}  // namespace swabline::service
