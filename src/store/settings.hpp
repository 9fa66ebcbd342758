#pragma once
/// Settings an admin changes through the API: one JSON document per key (the zone policy, …).
/// The store reads and writes a document as its leaves — dotted paths ("lift.sealed.then_days")
/// with a bool, integer or text value — so no layer above parses JSON for it; SQLite's JSON
/// functions nest and un-nest them.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/connection.hpp"

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

/// One member of a flat settings document of numbers (the assay, the sampling rates, a
/// retention): its name, and whether it must be a whole number (stored as a JSON integer).
struct NumberMember {
  std::string_view name;
  bool whole = false;
};

/// A flat document of numbers as stored: the values in the order their members were named.
struct NumberSetting {
  std::vector<double> values;
  std::int64_t updated_at = 0;
  std::optional<std::string> updated_by;
};

/// The document under `key` when every one of `members` is there with its type; nullopt when
/// none is stored or one is missing or mistyped (the caller then uses its built-in default).
std::optional<NumberSetting> FindNumberSetting(Connection& db, std::string_view key,
                                               std::span<const NumberMember> members);

/// Stores {member: value, …} under `key`, replacing any document there.
void PutNumberSetting(Tx& tx, std::string_view key, std::span<const NumberMember> members,
                      std::span<const double> values, std::int64_t now,
                      const std::optional<std::string>& updated_by);

/// The stored document's text (for tests and exports); nullopt when none is stored.
std::optional<std::string> FindSettingText(Connection& db, std::string_view key);

}  // namespace swabline::store
