#include "store/vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace swabline::store {
namespace {

constexpr unsigned char kMagic0 = 0xA7;
constexpr unsigned char kMagic1 = 'K';
constexpr std::size_t kHeaderBytes = 6;
constexpr std::size_t kBoxOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
constexpr std::int64_t kRecheckMillis = 1000;

std::atomic<std::uint64_t> g_reload_requests{0};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

KeyBytes Subkey(const KeyBytes& master, std::string_view purpose) {
  KeyBytes out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), master.data(), master.size());
  return out;
}

std::int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// What tells a changed file: replaced (inode), rewritten (size, mtime).
struct FileStamp {
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{st.st_ino, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

/// The ring with the subkeys each use needs, derived once per load.
struct Loaded {
  KeyRing ring;
  KeyBytes digest_key{};
  std::vector<std::pair<std::uint32_t, KeyBytes>> seal_keys;

  explicit Loaded(KeyRing r)
      : ring(std::move(r)), digest_key(Subkey(ring.digest, "swabline.digest.v1")) {
    for (const RingKey& k : ring.id_keys)
      seal_keys.emplace_back(k.kid, Subkey(k.key, "swabline.seal.v1"));
  }
  ~Loaded() {
    for (auto& [kid, key] : seal_keys) sodium_memzero(key.data(), key.size());
    sodium_memzero(digest_key.data(), digest_key.size());
    sodium_memzero(ring.digest.data(), ring.digest.size());
    for (KeyKind kind : {KeyKind::kIdNumber, KeyKind::kPersonalCode})
      for (RingKey& k : ring.Of(kind)) sodium_memzero(k.key.data(), k.key.size());
  }
  Loaded(const Loaded&) = delete;
  Loaded& operator=(const Loaded&) = delete;

  const KeyBytes* SealKey(std::uint32_t kid) const {
    for (const auto& [k, key] : seal_keys)
      if (k == kid) return &key;
    return nullptr;
  }
};

std::optional<std::string> OpenBox(std::string_view box, const KeyBytes& key) {
  if (box.size() < kBoxOverhead) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(box.data());
  std::string out(box.size() - kBoxOverhead, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                 p + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, p, key.data()) != 0)
    return std::nullopt;
  return out;
}

}  // namespace

struct Vault::State {
  std::string path;  // "" for a vault without a file
  mutable std::mutex mu;
  std::shared_ptr<const Loaded> loaded;
  std::optional<FileStamp> stamp;
  std::atomic<std::int64_t> last_check_ms{0};
  std::atomic<std::int64_t> last_forced_ms{-kRecheckMillis};
  std::atomic<std::uint64_t> seen_requests{0};
  std::atomic<std::uint64_t> generation{0};

  std::shared_ptr<const Loaded> Current() {
    if (!path.empty()) Refresh();
    std::lock_guard lock(mu);
    return loaded;
  }

  void Refresh() {
    const std::uint64_t requests = g_reload_requests.load(std::memory_order_relaxed);
    if (requests != seen_requests.load(std::memory_order_relaxed)) {
      seen_requests.store(requests, std::memory_order_relaxed);
      Reload();
      return;
    }
    const std::int64_t now = SteadyMillis();
    if (now - last_check_ms.load(std::memory_order_relaxed) < kRecheckMillis) return;
    last_check_ms.store(now, std::memory_order_relaxed);
    const auto current = StampOf(path);
    bool changed = false;
    {
      std::lock_guard lock(mu);
      changed = current && current != stamp;
    }
    if (changed) Reload();
  }

  /// For a kid the vault does not hold: re-read the file, at most once a second, so that
  /// made-up kids cannot make a server read its key file on every request.
  bool ReloadForUnknownKid() {
    if (path.empty()) return false;
    const std::int64_t now = SteadyMillis();
    if (now - last_forced_ms.load(std::memory_order_relaxed) < kRecheckMillis) return false;
    last_forced_ms.store(now, std::memory_order_relaxed);
    return Reload();
  }

  bool Reload() {
    if (path.empty()) return false;
    try {
      const auto before = StampOf(path);
      auto next = std::make_shared<const Loaded>(ReadKeyFile(path));
      std::lock_guard lock(mu);
      loaded = std::move(next);
      stamp = before;
      generation.fetch_add(1, std::memory_order_relaxed);
      return true;
    } catch (const std::runtime_error&) {
      return false;  // keep serving with the keys we have; `swabline keys list` shows why
    }
  }
};

Vault::Vault(std::shared_ptr<State> state) : state_(std::move(state)) {}

Vault Vault::FromKey(const std::array<unsigned char, kKeyBytes>& master) {
  return FromRing(KeyRing::FromMaster(master));
}

Vault Vault::FromRing(const KeyRing& ring) {
  EnsureSodium();
  auto state = std::make_shared<State>();
  state->loaded = std::make_shared<const Loaded>(ring);
  return Vault(std::move(state));
}

Vault Vault::LoadOrCreate(const std::string& key_path) {
  EnsureSodium();
  int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    KeyBytes master{};
    randombytes_buf(master.data(), master.size());
    const bool ok =
        ::write(fd, master.data(), master.size()) == static_cast<ssize_t>(master.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    sodium_memzero(master.data(), master.size());
    if (!ok) throw std::runtime_error("cannot write key file " + key_path);
  } else if (errno != EEXIST) {
    throw std::runtime_error("cannot create key file " + key_path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(key_path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    ::chmod(key_path.c_str(), 0600);
  auto state = std::make_shared<State>();
  state->path = key_path;
  state->stamp = StampOf(key_path);
  state->loaded = std::make_shared<const Loaded>(ReadKeyFile(key_path));
  state->last_check_ms = SteadyMillis();
  state->seen_requests = g_reload_requests.load();
  return Vault(std::move(state));
}

std::string Vault::Seal(std::string_view plaintext) const {
  const auto loaded = state_->Current();
  const std::uint32_t kid = loaded->ring.Newest(KeyKind::kIdNumber).kid;
  const KeyBytes& key = *loaded->SealKey(kid);
  std::string out(kHeaderBytes + kBoxOverhead + plaintext.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kMagic0;
  p[1] = kMagic1;
  for (int i = 0; i < 4; ++i) p[2 + i] = static_cast<unsigned char>(kid >> (8 * (3 - i)));
  p += kHeaderBytes;
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        p, key.data());
  return out;
}

std::optional<Vault::Opened> Vault::OpenWithKid(std::string_view sealed) const {
  auto loaded = state_->Current();
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  if (sealed.size() >= kHeaderBytes + kBoxOverhead && p[0] == kMagic0 && p[1] == kMagic1) {
    std::uint32_t kid = 0;
    for (int i = 0; i < 4; ++i) kid = (kid << 8) | p[2 + i];
    if (loaded->SealKey(kid) == nullptr && state_->ReloadForUnknownKid())
      loaded = state_->Current();
    if (const KeyBytes* key = loaded->SealKey(kid))
      if (auto clear = OpenBox(sealed.substr(kHeaderBytes), *key))
        return Opened{kid, std::move(*clear)};
  }
  // No header, or (one time in 65536) a legacy nonce that began like one.
  if (const KeyBytes* key = loaded->SealKey(0))
    if (auto clear = OpenBox(sealed, *key)) return Opened{0, std::move(*clear)};
  return std::nullopt;
}

std::optional<std::string> Vault::Open(std::string_view sealed) const {
  auto opened = OpenWithKid(sealed);
  if (!opened) return std::nullopt;
  return std::move(opened->plaintext);
}

std::string Vault::Digest(std::string_view plaintext) const {
  const auto loaded = state_->Current();
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                     loaded->digest_key.data(), loaded->digest_key.size());
  return out;
}

std::array<unsigned char, Vault::kKeyBytes> Vault::DeriveKey(std::string_view purpose) const {
  return Subkey(state_->Current()->ring.digest, purpose);
}

std::optional<KeyBytes> Vault::DeriveFrom(KeyKind kind, std::uint32_t kid,
                                          std::string_view purpose) const {
  auto loaded = state_->Current();
  if (loaded->ring.Find(kind, kid) == nullptr && state_->ReloadForUnknownKid())
    loaded = state_->Current();
  const RingKey* key = loaded->ring.Find(kind, kid);
  if (key == nullptr) return std::nullopt;
  return Subkey(key->key, purpose);
}

std::uint32_t Vault::NewestKid(KeyKind kind) const {
  return state_->Current()->ring.Newest(kind).kid;
}

std::vector<std::uint32_t> Vault::Kids(KeyKind kind) const {
  std::vector<std::uint32_t> out;
  for (const RingKey& k : state_->Current()->ring.Of(kind)) out.push_back(k.kid);
  return out;
}

std::uint64_t Vault::generation() const {
  state_->Current();  // a pending re-read counts
  return state_->generation.load(std::memory_order_relaxed);
}

bool Vault::Reload() const { return state_->Reload(); }

void Vault::RequestReload() { g_reload_requests.fetch_add(1, std::memory_order_relaxed); }

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
