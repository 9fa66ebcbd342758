#include "store/vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace swabline::store {
namespace {

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::array<unsigned char, Vault::kKeyBytes> Subkey(
    const std::array<unsigned char, Vault::kKeyBytes>& master, std::string_view purpose) {
  std::array<unsigned char, Vault::kKeyBytes> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), master.data(), master.size());
  return out;
}

}  // namespace

Vault::Vault(const std::array<unsigned char, kKeyBytes>& master)
    : seal_key_(Subkey(master, "swabline.seal.v1")),
      hash_key_(Subkey(master, "swabline.digest.v1")),
      master_(master) {}

Vault Vault::FromKey(const std::array<unsigned char, kKeyBytes>& master) {
  EnsureSodium();
  return Vault(master);
}

Vault Vault::LoadOrCreate(const std::string& key_path) {
  EnsureSodium();
  std::array<unsigned char, kKeyBytes> master{};
  int fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    randombytes_buf(master.data(), master.size());
    fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      throw std::runtime_error("cannot create key file " + key_path + ": " + std::strerror(errno));
    bool ok = ::write(fd, master.data(), master.size()) == static_cast<ssize_t>(master.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write key file " + key_path);
    return Vault(master);
  }
  if (fd < 0)
    throw std::runtime_error("cannot open key file " + key_path + ": " + std::strerror(errno));
  struct stat st {};
  ::fstat(fd, &st);
  ssize_t n = ::read(fd, master.data(), master.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(master.size()) || st.st_size != static_cast<off_t>(master.size()))
    throw std::runtime_error("key file " + key_path + " is not a 32-byte key");
  if ((st.st_mode & 077) != 0) ::chmod(key_path.c_str(), 0600);
  return Vault(master);
}

std::string Vault::Seal(std::string_view plaintext) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        p, seal_key_.data());
  return out;
}

std::optional<std::string> Vault::Open(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()), p + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, p, seal_key_.data()) != 0)
    return std::nullopt;
  return out;
}

std::string Vault::Digest(std::string_view plaintext) const {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                     hash_key_.data(), hash_key_.size());
  return out;
}

std::array<unsigned char, Vault::kKeyBytes> Vault::DeriveKey(std::string_view purpose) const {
  return Subkey(master_, purpose);
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace swabline::store
