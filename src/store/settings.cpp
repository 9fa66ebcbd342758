#include "store/settings.hpp"

namespace swabline::store {
namespace {

/// One leaf set into `doc` by SQLite's json_set, which makes the objects along the path.
std::string WithLeaf(Connection& db, const std::string& doc, const SettingLeaf& leaf) {
  const std::string path = "$." + leaf.key;
  // A bool goes in through json() so it is stored as true/false, not as 1/0.
  auto q = db.Query(std::holds_alternative<bool>(leaf.value) ? "SELECT json_set(?1, ?2, json(?3))"
                                                             : "SELECT json_set(?1, ?2, ?3)");
  q->Bind(1, doc).Bind(2, path);
  if (const auto* b = std::get_if<bool>(&leaf.value)) q->Bind(3, *b ? "true" : "false");
  if (const auto* i = std::get_if<std::int64_t>(&leaf.value)) q->Bind(3, *i);
  if (const auto* s = std::get_if<std::string>(&leaf.value)) q->Bind(3, *s);
  q->Next();
  return q->Str(0);
}

}  // namespace

std::optional<std::vector<SettingLeaf>> FindSettingLeaves(Connection& db, std::string_view key) {
  if (!FindSettingText(db, key)) return std::nullopt;
  auto q = db.Query(
      "SELECT j.fullkey, j.type, j.atom FROM settings s, json_tree(s.value) j "
      "WHERE s.key = ? AND j.type NOT IN ('object', 'array') ORDER BY j.id");
  q->Bind(1, key);
  std::vector<SettingLeaf> out;
  while (q->Next() == Step::kRow) {
    // SQLite quotes a label with characters other than letters and digits ($.a."b_c"); the
    // quotes go, so such a label reads as written (one holding a dot is then refused unknown).
    std::string path;
    for (char c : q->Text(0).substr(q->Text(0).starts_with("$.") ? 2 : 0))
      if (c != '"') path += c;
    SettingLeaf leaf{std::move(path), std::string()};
    const std::string type = q->Str(1);
    if (type == "true" || type == "false") {
      leaf.value = type == "true";
    } else if (type == "integer") {
      leaf.value = q->Int(2);
    } else if (!q->IsNull(2)) {
      leaf.value = q->Str(2);
    }
    out.push_back(std::move(leaf));
  }
  return out;
}

void PutSetting(Tx& tx, std::string_view key, const std::vector<SettingLeaf>& leaves,
                std::int64_t now, std::string_view updated_by) {
  std::string doc = "{}";
  for (const SettingLeaf& leaf : leaves) doc = WithLeaf(tx.db(), doc, leaf);
  auto q = tx.Query(
      "INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(key) DO UPDATE SET value = ?2, updated_at = ?3, updated_by = ?4");
  q->Bind(1, key).Bind(2, doc).Bind(3, now).Bind(4, updated_by);
  q->RunOrThrow();
}

std::optional<NumberSetting> FindNumberSetting(Connection& db, std::string_view key,
                                               std::span<const NumberMember> members) {
  // One json_extract and one type check per member; the statement's text depends only on how
  // many members there are, the paths are bound.
  std::string columns;
  std::string checks;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string path = "?" + std::to_string(i + 2);
    columns += "json_extract(value, " + path + "), ";
    checks += " AND json_type(value, " + path + ") IN (" +
              (members[i].whole ? "'integer')" : "'real', 'integer')");
  }
  auto q = db.Query("SELECT " + columns + "updated_at, updated_by FROM settings WHERE key = ?1 " +
                    "AND json_valid(value)" + checks);
  q->Bind(1, key);
  for (std::size_t i = 0; i < members.size(); ++i)
    q->Bind(static_cast<int>(i) + 2, "$." + std::string(members[i].name));
  if (q->Next() != Step::kRow) return std::nullopt;
  NumberSetting out;
  const int n = static_cast<int>(members.size());
  for (int i = 0; i < n; ++i) out.values.push_back(q->Real(i));
  out.updated_at = q->Int(n);
  out.updated_by = q->OptStr(n + 1);
  return out;
}

void PutNumberSetting(Tx& tx, std::string_view key, std::span<const NumberMember> members,
                      std::span<const double> values, std::int64_t now,
                      const std::optional<std::string>& updated_by) {
  std::string pairs;
  for (std::size_t i = 0; i < members.size(); ++i)
    pairs += (i ? ", ?" : "?") + std::to_string(2 * i + 4) + ", ?" + std::to_string(2 * i + 5);
  auto q = tx.Query(
      "INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?1, json_object(" + pairs +
      "), ?2, ?3) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = "
      "excluded.updated_at, updated_by = excluded.updated_by");
  q->Bind(1, key).Bind(2, now).Bind(3, updated_by);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const int at = static_cast<int>(2 * i) + 4;
    q->Bind(at, members[i].name);
    if (members[i].whole) {
      q->Bind(at + 1, static_cast<std::int64_t>(values[i]));
    } else {
      q->Bind(at + 1, values[i]);
    }
  }
  q->RunOrThrow();
}

std::optional<std::string> FindSettingText(Connection& db, std::string_view key) {
  auto q = db.Query("SELECT value FROM settings WHERE key = ?");
  q->Bind(1, key);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->Str(0);
}

}  // namespace swabline::store
