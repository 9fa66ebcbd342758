#include "store/settings.hpp"

namespace swabline::store {
namespace {

// The settings are JSON documents in a TEXT column. SQLite reads and writes them with its JSON1
// functions; PostgreSQL with jsonb's, spelled below where they differ. A path is "a.b" in the
// store's terms, "$.a.b" to SQLite and the array '{"a","b"}' to PostgreSQL.

bool OnPostgres(const Connection& db) { return db.dialect() == Dialect::kPostgres; }

/// The text[] literal of `key`'s path ("a.b" → {"a","b"}), for jsonb's #> and jsonb_set.
std::string PostgresPath(std::string_view key) {
  std::string out = "{\"";
  for (char c : key) {
    if (c == '.') {
      out += "\",\"";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"}";
}

/// `PostgresPath` of the first `members` members of `key`.
std::string PostgresPrefix(std::string_view key, std::size_t members) {
  std::size_t end = 0;
  for (std::size_t seen = 0; end < key.size(); ++end) {
    if (key[end] == '.' && ++seen == members) break;
  }
  return PostgresPath(key.substr(0, end));
}

/// As WithLeaf, on PostgreSQL: jsonb_set makes only the last member, so the objects along the
/// path are made first, one at a time, as SQLite's json_set would.
std::string WithLeafPostgres(Connection& db, std::string doc, const SettingLeaf& leaf) {
  std::size_t members = 1;
  for (char c : leaf.key) members += c == '.' ? 1 : 0;
  for (std::size_t n = 1; n < members; ++n) {
    auto q = db.Query(
        "SELECT CAST(jsonb_set(CAST(?1 AS jsonb), CAST(?2 AS TEXT[]), COALESCE(CAST(?1 AS jsonb) "
        "#> CAST(?2 AS TEXT[]), CAST('{}' AS jsonb)), true) AS TEXT)");
    q->Bind(1, doc).Bind(2, PostgresPrefix(leaf.key, n));
    q->Next();
    doc = q->Str(0);
  }
  const char* sql = std::holds_alternative<bool>(leaf.value)
                        ? "SELECT CAST(jsonb_set(CAST(?1 AS jsonb), CAST(?2 AS TEXT[]), "
                          "to_jsonb(CAST(?3 AS BOOLEAN)), true) AS TEXT)"
                    : std::holds_alternative<std::int64_t>(leaf.value)
                        ? "SELECT CAST(jsonb_set(CAST(?1 AS jsonb), CAST(?2 AS TEXT[]), "
                          "to_jsonb(CAST(?3 AS BIGINT)), true) AS TEXT)"
                        : "SELECT CAST(jsonb_set(CAST(?1 AS jsonb), CAST(?2 AS TEXT[]), "
                          "to_jsonb(CAST(?3 AS TEXT)), true) AS TEXT)";
  auto q = db.Query(sql);
  q->Bind(1, doc).Bind(2, PostgresPath(leaf.key));
  if (const auto* b = std::get_if<bool>(&leaf.value)) q->Bind(3, *b ? "true" : "false");
  if (const auto* i = std::get_if<std::int64_t>(&leaf.value)) q->Bind(3, *i);
  if (const auto* s = std::get_if<std::string>(&leaf.value)) q->Bind(3, *s);
  q->Next();
  return q->Str(0);
}

/// One leaf set into `doc` by SQLite's json_set, which makes the objects along the path.
std::string WithLeaf(Connection& db, const std::string& doc, const SettingLeaf& leaf) {
  if (OnPostgres(db)) return WithLeafPostgres(db, doc, leaf);
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
  // PostgreSQL: the same walk as SQLite's json_tree, its types named as SQLite names them.
  // jsonb keeps an object's members sorted (shorter names first), not in the order written.
  auto q = db.Query(
      OnPostgres(db)
          ? "WITH RECURSIVE t(path, v) AS (SELECT CAST('' AS TEXT), CAST(value AS jsonb) FROM "
            "settings WHERE key = ?1 UNION ALL SELECT c.path, c.v FROM t, LATERAL (SELECT CASE "
            "WHEN t.path = '' THEN e.key ELSE t.path || '.' || e.key END AS path, e.value AS v "
            "FROM jsonb_each(CASE WHEN jsonb_typeof(t.v) = 'object' THEN t.v ELSE CAST('{}' AS "
            "jsonb) END) e UNION ALL SELECT t.path || '[' || (a.n - 1) || ']', a.value FROM "
            "jsonb_array_elements(CASE WHEN jsonb_typeof(t.v) = 'array' THEN t.v ELSE "
            "CAST('[]' AS jsonb) END) WITH ORDINALITY a(value, n)) c) "
            "SELECT path, CASE jsonb_typeof(v) WHEN 'boolean' THEN v #>> '{}' WHEN 'number' THEN "
            "CASE WHEN (v #>> '{}') ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END WHEN 'string' "
            "THEN 'text' ELSE jsonb_typeof(v) END, v #>> '{}' FROM t WHERE path <> '' AND "
            "jsonb_typeof(v) NOT IN ('object', 'array')"
          : "SELECT j.fullkey, j.type, j.atom FROM settings s, json_tree(s.value) j "
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
  const bool postgres = OnPostgres(db);
  std::string columns;
  std::string checks;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string path = "?" + std::to_string(i + 2);
    if (postgres) {
      const std::string at = "(CAST(value AS jsonb) #> CAST(" + path + " AS TEXT[]))";
      columns += at + " #>> '{}', ";
      checks += " AND jsonb_typeof" + at + " = 'number'";
      if (members[i].whole) checks += " AND (" + at + " #>> '{}') ~ '^-?[0-9]+$'";
    } else {
      columns += "json_extract(value, " + path + "), ";
      checks += " AND json_type(value, " + path + ") IN (" +
                (members[i].whole ? "'integer')" : "'real', 'integer')");
    }
  }
  // PostgreSQL refuses to read a value that is not JSON at all; the store writes none.
  auto q = db.Query("SELECT " + columns + "updated_at, updated_by FROM settings WHERE key = ?1 " +
                    (postgres ? "" : "AND json_valid(value)") + checks);
  q->Bind(1, key);
  for (std::size_t i = 0; i < members.size(); ++i) {
    q->Bind(static_cast<int>(i) + 2,
            postgres ? PostgresPath(members[i].name) : "$." + std::string(members[i].name));
  }
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
  const bool postgres = OnPostgres(tx.db());
  std::string pairs;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string name = "?" + std::to_string(2 * i + 4);
    const std::string value = "?" + std::to_string(2 * i + 5);
    pairs += i ? ", " : "";
    if (postgres) {  // jsonb_build_object takes any type: each one is said
      pairs.append("CAST(").append(name).append(" AS TEXT), CAST(").append(value);
      pairs += members[i].whole ? " AS BIGINT)" : " AS DOUBLE PRECISION)";
    } else {
      pairs.append(name).append(", ").append(value);
    }
  }
  const std::string object =
      postgres ? "CAST(jsonb_build_object(" + pairs + ") AS TEXT)" : "json_object(" + pairs + ")";
  auto q =
      tx.Query("INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?1, " + object +
               ", ?2, ?3) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = "
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
