#pragma once
/// Key rotation's work on the database (docs/security.md, Key handling): which key seals each
/// ID number, moving them to the newest key in small batches, and who may still hold a
/// personal code signed by an old key. The key file itself changes in store/key_ring.hpp.

#include <cstdint>
#include <map>

#include "core/civil_time.hpp"
#include "store/connection.hpp"
#include "store/vault.hpp"

namespace swabline::service {

struct SealedCensus {
  std::map<std::uint32_t, std::int64_t> by_kid;  // residents whose ID number each key seals
  std::int64_t unreadable = 0;                   // sealed under a key the vault does not hold
  std::int64_t total = 0;
};

/// Opens every sealed ID number once (about a microsecond each) to tell its key.
SealedCensus CountSealedIdNumbers(store::Connection& db, const store::Vault& vault);

struct ReencryptStep {
  std::int64_t last_id = 0;  // pass it as after_id to continue
  std::int64_t scanned = 0;
  std::int64_t resealed = 0;
  std::int64_t unreadable = 0;  // left as they were
  bool done = false;            // no resident after last_id
};

/// Re-seals under the vault's newest ID-number key the ID numbers of the next `limit`
/// residents after `after_id` (by id) that another key seals. Idempotent and resumable: a box
/// already under the newest key is left alone, so a run cut short (a crash) is finished by
/// running again from 0. A row whose box changed meanwhile is left to the next run.
ReencryptStep ReencryptBatch(store::Tx& tx, const store::Vault& vault, std::int64_t after_id,
                             int limit);

/// Residents whose current personal code was issued (or who were registered) before
/// `superseded_at`: each may still hold a code signed by a key superseded then, since codes
/// do not expire.
std::int64_t CodeHoldersBefore(store::Connection& db, core::Micros superseded_at);

}  // namespace swabline::service
