#pragma once
/// Protects ID numbers at rest (docs/architecture.md, Security and privacy): sealed with
/// XSalsa20-Poly1305 (libsodium secretbox) under a key kept in a file of mode 0600, and found
/// through a keyed BLAKE2b hash so that equal numbers meet in a unique index without the
/// database ever holding them in clear.
///
/// Keys rotate without downtime (docs/security.md, Key handling; store/key_ring.hpp): the key
/// file holds several sealing keys and personal-code keys, each with a key id (kid). A box
/// names the kid it was sealed under:
///   0xA7 'K' || kid (4 bytes, big-endian) || nonce (24) || secretbox (16 + plaintext)
/// A box without that header (written before rotation existed: nonce || secretbox) is read as
/// sealed under kid 0. Seal always uses the newest sealing key.
///
/// A vault made from a file follows it: it re-reads the file when the file changed (looked at
/// at most once a second), when RequestReload() was called (serve's SIGHUP), and when a box or
/// a code names a kid it does not hold (at most once a second), so a running server takes up a
/// rotated key without a restart. A file that fails to read keeps the keys it had. Copies share
/// one state. Thread-safe.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/key_ring.hpp"

namespace swabline::store {

class Vault {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  /// Reads the key file, or creates it (mode 0600) with a fresh random key when absent.
  /// Throws std::runtime_error when the file exists but is unreadable or malformed.
  static Vault LoadOrCreate(const std::string& key_path);
  /// A vault with the given master key (the legacy layout); for tests.
  static Vault FromKey(const std::array<unsigned char, kKeyBytes>& master);
  /// A vault holding `ring`, without a file; for tests.
  static Vault FromRing(const KeyRing& ring);

  /// Header || nonce || ciphertext under the newest sealing key, as bytes.
  std::string Seal(std::string_view plaintext) const;
  /// nullopt when the box was tampered with or sealed under a key this vault does not hold.
  std::optional<std::string> Open(std::string_view sealed) const;
  struct Opened {
    std::uint32_t kid = 0;
    std::string plaintext;
  };
  /// Open, also telling which key the box was sealed under.
  std::optional<Opened> OpenWithKid(std::string_view sealed) const;
  /// A 32-byte keyed digest: the same input always gives the same digest under one key. The
  /// digest key does not rotate with the sealing keys (a new one would need a re-index).
  std::string Digest(std::string_view plaintext) const;
  /// Key derived from the digest (legacy master) key for `purpose`.
  std::array<unsigned char, kKeyBytes> DeriveKey(std::string_view purpose) const;
  /// Key derived from key `kid` of `kind` for `purpose`; nullopt when the vault holds no such
  /// key (after one re-read of the file).
  std::optional<KeyBytes> DeriveFrom(KeyKind kind, std::uint32_t kid,
                                     std::string_view purpose) const;

  std::uint32_t NewestKid(KeyKind kind) const;
  std::vector<std::uint32_t> Kids(KeyKind kind) const;
  /// Counts the re-reads that changed the keys: caches built from the keys compare it.
  std::uint64_t generation() const;
  /// Re-reads the key file now. False (keeping the old keys) when there is no file or it
  /// cannot be read.
  bool Reload() const;
  /// Async-signal-safe: every vault re-reads its file before its next use.
  static void RequestReload();

 private:
  struct State;
  explicit Vault(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

/// Hex of bytes, lower case.
std::string ToHex(std::string_view bytes);

}  // namespace swabline::store
