#pragma once
/// For service tests only: a world of one migrated database, a fixed-key vault and a clock the
/// test sets, plus the small builders that keep the tests about their rule.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.hpp"
#include "core/id_number.hpp"
#include "core/role.hpp"
#include "service/env.hpp"
#include "service/registry.hpp"
#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/vault.hpp"
#include "support/store/test_support.hpp"

namespace swabline::service::test {

/// 2026-05-01T08:00:00Z.
inline constexpr core::Micros kStart = 1'777'622'400LL * 1'000'000;
inline constexpr core::Micros kHour = 3600LL * 1'000'000;

/// A clock that stands still until the test moves it. Thread-safe.
class SettableClock : public core::Clock {
 public:
  explicit SettableClock(core::Micros now) : now_(now) {}
  core::Micros Now() const override { return now_.load(); }
  void Set(core::Micros now) { now_.store(now); }
  void Advance(core::Micros by) { now_.fetch_add(by); }

 private:
  std::atomic<core::Micros> now_;
};

/// A valid resident ID number (born 1990-03-07 in 朝阳区) whose sequence digits are `seq`.
inline std::string IdNumber(int seq) {
  std::string first17 = "11010519900307" + std::to_string(1000 + seq % 1000).substr(1);
  first17.push_back(core::IdNumberCheckCharacter(first17));
  return first17;
}

inline constexpr std::string_view kCsvHeader =
    "id_number,name,phone,district,street,community,building,unit,room,tags\n";

/// The import CSV of the standard header and `rows` (each without its line end).
inline std::string Csv(std::initializer_list<std::string_view> rows) {
  std::string out(kCsvHeader);
  for (std::string_view row : rows) {
    out += row;
    out += '\n';
  }
  return out;
}

/// One audit record as the tests look at it.
struct AuditRow {
  std::string actor;
  std::string action;
  std::string entity_id;
  std::string detail;
};

struct World {
  store::test::TestDb db;
  SettableClock clock{kStart};
  store::Vault vault = store::Vault::FromKey(FixedKey());
  Env env{vault, clock};

  static std::array<unsigned char, store::Vault::kKeyBytes> FixedKey() {
    std::array<unsigned char, store::Vault::kKeyBytes> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i * 7 + 1);
    return key;
  }

  store::Connection& conn() { return db.db(); }

  /// Runs `fn(Tx&)` in one committed transaction.
  template <typename Fn>
  auto InTx(Fn&& fn) {
    return db.InTx(std::forward<Fn>(fn));
  }

  core::Result<ImportReport> Import(const Actor& actor, std::string_view csv) {
    return InTx([&](store::Tx& tx) { return ImportResidents(tx, env, actor, csv); });
  }

  /// Imports as the system and fails the test unless it succeeded with no row rejected.
  ImportReport ImportOk(std::string_view csv) {
    auto report = Import(Actor::System(), csv);
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().detail);
    if (!report.ok()) return {};
    EXPECT_TRUE(report->rejected.empty())
        << "line " << report->rejected[0].line << ": " << report->rejected[0].code << " "
        << report->rejected[0].detail;
    return *report;
  }

  /// The place at `path`; fails the test when there is none.
  core::Place PlaceAt(std::string_view path) {
    auto place = store::FindPlaceByPath(conn(), path);
    EXPECT_TRUE(place.has_value()) << "no place at " << path;
    return place.value_or(core::Place{});
  }

  /// An actor of `role` scoped to the place at `scope_path` ("" for the whole tree).
  Actor ActorAt(core::Role role, std::string_view scope_path, std::string username = "tester") {
    Actor a;
    a.user_id = 99;
    a.username = std::move(username);
    a.role = role;
    if (!scope_path.empty()) {
      core::Place place = PlaceAt(scope_path);
      a.scope_place_id = place.id;
      a.scope_id_path = place.id_path;
      a.scope_path = place.path;
    }
    return a;
  }

  std::int64_t ResidentIdOf(std::string_view id_number) {
    auto q = conn().Query("SELECT id FROM residents WHERE doc_hash = ?");
    q->BindBlob(1, vault.Digest("resident_id:" + std::string(id_number)));
    if (q->Next() != store::Step::kRow) {
      ADD_FAILURE() << "no resident with ID number " << id_number;
      return 0;
    }
    return q->Int(0);
  }

  std::vector<AuditRow> Audit() {
    std::vector<AuditRow> out;
    auto q = conn().Query("SELECT actor, action, entity_id, detail FROM audit ORDER BY seq");
    while (q->Next() == store::Step::kRow)
      out.push_back({q->Str(0), q->Str(1), q->Str(2), q->Str(3)});
    return out;
  }
};

}  // namespace swabline::service::test
