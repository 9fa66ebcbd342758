#pragma once
/// Rows of residents. The document number is stored sealed (see Vault); rows are found by
/// its keyed digest.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct ResidentRow {
  std::int64_t id = 0;
  std::string name;
  core::DocumentType doc_type = core::DocumentType::kResidentId;
  std::string doc_hash;
  std::string doc_cipher;
  std::string doc_masked;
  std::string phone;
  std::int64_t place_id = 0;
  std::string place_path;
  std::string place_id_path;
  std::string tags;  // stored form, ";a;b;"
  bool walk_in = false;
  std::int64_t code_version = 1;
};

std::optional<ResidentRow> FindResident(Connection& db, std::int64_t id);
std::optional<ResidentRow> FindResidentByDocHash(Connection& db, std::string_view doc_hash);
/// The people of the tube's valid samples, in the order they were sampled: one query for a
/// pool's members.
std::vector<ResidentRow> ResidentsInTube(Connection& db, std::string_view barcode);
/// The same rows with only id, name, doc_type, doc_masked, place_id, walk_in and code_version
/// filled: what a scan needs, without the join to places and the copies of the sealed
/// document and paths (a scan is the busiest write; the full row was 10% of its cost).
std::optional<ResidentRow> FindResidentBrief(Connection& db, std::int64_t id);
std::optional<ResidentRow> FindResidentBriefByDocHash(Connection& db, std::string_view doc_hash);
/// Residents living in the subtree whose root has `id_path`, by id, after `after_id`;
/// `name_prefix` ("" for all) narrows by name.
std::vector<ResidentRow> ListResidentsUnder(Connection& db, std::string_view id_path,
                                            std::string_view name_prefix, std::int64_t after_id,
                                            int limit);

/// Inserts, counts the resident in the coverage tallies (the only code path that inserts
/// residents: keep it so) and returns the new id. nullopt when the document is already
/// registered.
[[nodiscard]] std::optional<std::int64_t> InsertResident(Tx& tx, const ResidentRow& row,
                                                         std::int64_t now);
/// Updates name, phone, place and tags of the resident with `row.id`.
void UpdateResident(Tx& tx, const ResidentRow& row, std::int64_t now);

/// Bumps the resident's code version, revoking every personal code issued before, and returns
/// the new version. REQUIRES: the resident exists.
std::int64_t BumpCodeVersion(Tx& tx, std::int64_t id, std::int64_t now);
/// Every resident in the subtree whose root has `id_path`, ordered by address (place path),
/// then name, then id. Unpaged: meant for one community or smaller.
std::vector<ResidentRow> ListResidentsByAddress(Connection& db, std::string_view id_path);

}  // namespace swabline::store
