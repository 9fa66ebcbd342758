#pragma once
/// The key file's contents (docs/security.md, Key handling): the blind-index key that finds ID
/// numbers, the ID-number sealing keys and the personal-code signing keys, each sealing and
/// signing key with a key id (kid) so that rotation keeps old ciphertexts and codes readable.
///
/// Two layouts are read:
/// - legacy: exactly 32 raw bytes, one master key M. Read as digest = M, ID key 0 = M and code
///   key 0 = M, which derives exactly the subkeys earlier versions derived, so nothing sealed
///   or signed before rotation existed changes.
/// - text (written by the first rotation, then kept):
///     swabline-keys 1
///     digest <64 hex>
///     id <kid> <64 hex> <created, unix seconds>      (one line per ID-number key)
///     code <kid> <64 hex> <created, unix seconds>    (one line per personal-code key)
///   plus '#' comment lines. The newest key of a kind (highest kid) is the one new writes
///   use; a retired key's line is removed. Kids are never reused: the newest is never retired.
/// Files are written whole to a temporary file of mode 0600, synced, and renamed over the old
/// one, so a reader sees the old file or the new one, never half of one.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swabline::store {

using KeyBytes = std::array<unsigned char, 32>;

enum class KeyKind { kIdNumber, kPersonalCode };

struct RingKey {
  std::uint32_t kid = 0;
  KeyBytes key{};
  std::int64_t created_unix = 0;  // 0 for the legacy master
};

struct KeyRing {
  KeyBytes digest{};
  std::vector<RingKey> id_keys;    // ascending kid, never empty
  std::vector<RingKey> code_keys;  // ascending kid, never empty

  static KeyRing FromMaster(const KeyBytes& master);

  const std::vector<RingKey>& Of(KeyKind kind) const;
  std::vector<RingKey>& Of(KeyKind kind);
  const RingKey& Newest(KeyKind kind) const { return Of(kind).back(); }
  const RingKey* Find(KeyKind kind, std::uint32_t kid) const;
  /// When `kid` stopped being the newest of its kind (its successor's creation), or nullopt
  /// for the newest.
  std::optional<std::int64_t> SupersededAt(KeyKind kind, std::uint32_t kid) const;
};

/// Parses either layout; throws std::runtime_error naming the line for anything else. The
/// message never holds key material.
KeyRing ParseKeyFile(std::string_view bytes);
/// The text layout.
std::string FormatKeyFile(const KeyRing& ring);

/// Reads and parses `path`; throws std::runtime_error when unreadable or malformed.
KeyRing ReadKeyFile(const std::string& path);
/// Replaces `path` atomically with the text layout of `ring` (mode 0600).
void WriteKeyFile(const std::string& path, const KeyRing& ring);

/// Adds a fresh random key of `kind` with the next kid; returns that kid.
std::uint32_t AddKey(KeyRing& ring, KeyKind kind, std::int64_t now_unix);
/// Removes key `kid` of `kind`. Throws std::runtime_error for an unknown kid or the newest key
/// (new writes need it).
void RemoveKey(KeyRing& ring, KeyKind kind, std::uint32_t kid);

std::string_view KeyKindName(KeyKind kind);

}  // namespace swabline::store
