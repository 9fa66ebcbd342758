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

std::optional<std::string> FindSettingText(Connection& db, std::string_view key) {
  auto q = db.Query("SELECT value FROM settings WHERE key = ?");
  q->Bind(1, key);
  if (q->Next() != Step::kRow) return std::nullopt;
  return q->Str(0);
}

}  // namespace swabline::store
