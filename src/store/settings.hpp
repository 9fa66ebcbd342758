#pragma once
/// Settings an admin changes through the API: one JSON document per key (the zone policy, …).
/// The store reads and writes a document as its leaves — dotted paths ("lift.sealed.then_days")
/// with a bool, integer or text value — so no layer above parses JSON for it; SQLite's JSON
/// functions nest and un-nest them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sqlite.hpp"

namespace swabline::store {

struct SettingLeaf {
  std::string key;  // the leaf's path, members joined by dots
  /// A JSON number with a fraction, a null or an element of an array (key "a.b[0]") comes as
  /// the text SQLite gives it, so a reader that wants another type refuses it by its key.
  std::variant<bool, std::int64_t, std::string> value;
  friend bool operator==(const SettingLeaf&, const SettingLeaf&) = default;
};

/// The leaves of the document under `key`, in document order; nullopt when none is stored.
std::optional<std::vector<SettingLeaf>> FindSettingLeaves(Connection& db, std::string_view key);

/// Stores the document made of `leaves` under `key`, replacing any there.
void PutSetting(Tx& tx, std::string_view key, const std::vector<SettingLeaf>& leaves,
                std::int64_t now, std::string_view updated_by);

/// The stored document's text (for tests and exports); nullopt when none is stored.
std::optional<std::string> FindSettingText(Connection& db, std::string_view key);

}  // namespace swabline::store
