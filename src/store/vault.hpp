#pragma once
/// Protects ID numbers at rest (docs/architecture.md, Security and privacy): sealed with
/// XSalsa20-Poly1305 (libsodium secretbox) under a key kept in a file of mode 0600, and found
/// through a keyed BLAKE2b hash so that equal numbers meet in a unique index without the
/// database ever holding them in clear.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace swabline::store {

class Vault {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  /// Reads the key file, or creates it (mode 0600) with fresh random keys when absent.
  /// Throws std::runtime_error when the file exists but is unreadable or malformed.
  static Vault LoadOrCreate(const std::string& key_path);
  /// A vault with the given master key; for tests.
  static Vault FromKey(const std::array<unsigned char, kKeyBytes>& master);

  /// nonce || ciphertext, as bytes.
  std::string Seal(std::string_view plaintext) const;
  /// nullopt when the box was tampered with or sealed under another key.
  std::optional<std::string> Open(std::string_view sealed) const;
  /// A 32-byte keyed digest: the same input always gives the same digest under one key.
  std::string Digest(std::string_view plaintext) const;
  /// Key for signing personal codes etc.: derived from the master key for `purpose`.
  std::array<unsigned char, kKeyBytes> DeriveKey(std::string_view purpose) const;

 private:
  explicit Vault(const std::array<unsigned char, kKeyBytes>& master);

  std::array<unsigned char, kKeyBytes> seal_key_{};
  std::array<unsigned char, kKeyBytes> hash_key_{};
  std::array<unsigned char, kKeyBytes> master_{};
};

/// Hex of bytes, lower case.
std::string ToHex(std::string_view bytes);

}  // namespace swabline::store
