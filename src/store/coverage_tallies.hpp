#pragma once
/// Coverage counts kept per tally place (schema v3, store/migrations.cpp): a resident's
/// nearest place at or above their home whose kind is district, street, community or building.
/// Reading them costs one row per tally place, not one per resident. Triggers keep them through
/// moves, voids and results; CountNewResident and CountNewSample through inserts.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/connection.hpp"
#include "store/tubes.hpp"

namespace swabline::store {

struct TallyRow {
  std::string_view id_path;    // the tally place's; valid only during the callback
  std::int64_t residents = 0;  // living now under it (and under no tally place below it)
  std::int64_t sampled = 0;    // valid samples of theirs in the round
  std::int64_t resulted = 0;   // of those, in a tube with a result
  std::int64_t positive = 0;   // of those, in a positive tube
};

/// Calls `fn` once per tally place in the subtree at `id_path` (itself included) with its
/// counts for the round. `sampled`, `resulted` and `positive` count samples, not people: see
/// ScanRepeatSamplers.
void ScanTallies(Connection& db, std::int64_t round_id, const std::string& id_path,
                 const std::function<void(const TallyRow&)>& fn);

struct RepeatSamplerRow {
  std::string_view home_id_path;  // valid only during the callback
  std::int64_t valid_samples = 0;
  std::int64_t resulted_samples = 0;  // of those, in a tube with a result
  std::int64_t positive_samples = 0;  // of those, in a positive tube
};

/// Calls `fn` once per resident living under `id_path` with two or more valid samples in the
/// round: the only residents whose samples TallyRow counts more than once. Visits only those
/// with a repeat or retest sample in the round (round_repeaters), not the subtree's residents.
void ScanRepeatSamplers(Connection& db, std::int64_t round_id, const std::string& id_path,
                        const std::function<void(const RepeatSamplerRow&)>& fn);

/// Counts a new resident at their home's tally place. For InsertResident only, in its
/// transaction: single-row statements, as a trigger would make every insert keep a statement
/// journal (store/migrations.cpp, v3).
void CountNewResident(Tx& tx, std::int64_t place_id);

/// Counts a new valid sample at its person's tally place, for its round and its tube (and as
/// resulted or positive, should the tube have a result already); notes a repeat or retest
/// sample's person in round_repeaters. For InsertSample only, in its transaction, as
/// CountNewResident.
void CountNewSample(Tx& tx, const SampleRow& sample);

/// True when the place keeps a tally of its own (its kind is district to building).
bool KeepsTally(Connection& db, std::int64_t place_id);

/// True when every child of the place keeps a tally of its own (so does a place without
/// children): then each of the place's residents is counted either at the place itself or
/// under one of its children.
bool ChildrenKeepTallies(Connection& db, std::int64_t place_id);

}  // namespace swabline::store
