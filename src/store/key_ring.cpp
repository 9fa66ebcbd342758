#include "store/key_ring.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace swabline::store {
namespace {

constexpr std::string_view kHeader = "swabline-keys 1";

[[noreturn]] void Malformed(std::size_t line, const std::string& why) {
  throw std::runtime_error("key file line " + std::to_string(line) + ": " + why);
}

KeyBytes ParseHex(std::string_view hex, std::size_t line) {
  KeyBytes out{};
  std::size_t written = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, nullptr) !=
          0 ||
      written != out.size())
    Malformed(line, "a key is 64 hex digits");
  return out;
}

template <typename Int>
Int ParseNumber(std::string_view text, std::size_t line, const char* what) {
  Int value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0)
    Malformed(line, std::string("bad ") + what);
  return value;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

void AddParsed(KeyRing& ring, KeyKind kind, const std::vector<std::string_view>& w,
               std::size_t line) {
  if (w.size() != 4) Malformed(line, "want '<kind> <kid> <key> <created>'");
  RingKey k{ParseNumber<std::uint32_t>(w[1], line, "kid"), ParseHex(w[2], line),
            ParseNumber<std::int64_t>(w[3], line, "creation time")};
  auto& keys = ring.Of(kind);
  if (!keys.empty() && keys.back().kid >= k.kid) Malformed(line, "kids must ascend");
  keys.push_back(k);
}

std::string Hex(const KeyBytes& key) {
  std::string out(key.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), key.data(), key.size());
  out.pop_back();
  return out;
}

void WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void SyncDirectoryOf(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

KeyRing KeyRing::FromMaster(const KeyBytes& master) {
  KeyRing ring;
  ring.digest = master;
  ring.id_keys.push_back({0, master, 0});
  ring.code_keys.push_back({0, master, 0});
  return ring;
}

const std::vector<RingKey>& KeyRing::Of(KeyKind kind) const {
  return kind == KeyKind::kIdNumber ? id_keys : code_keys;
}

std::vector<RingKey>& KeyRing::Of(KeyKind kind) {
  return kind == KeyKind::kIdNumber ? id_keys : code_keys;
}

const RingKey* KeyRing::Find(KeyKind kind, std::uint32_t kid) const {
  for (const RingKey& k : Of(kind))
    if (k.kid == kid) return &k;
  return nullptr;
}

std::optional<std::int64_t> KeyRing::SupersededAt(KeyKind kind, std::uint32_t kid) const {
  const auto& keys = Of(kind);
  for (std::size_t i = 0; i + 1 < keys.size(); ++i)
    if (keys[i].kid == kid) return keys[i + 1].created_unix;
  return std::nullopt;
}

KeyRing ParseKeyFile(std::string_view bytes) {
  if (bytes.size() == 32) {  // the text layout is always longer
    KeyBytes master{};
    std::copy(bytes.begin(), bytes.end(), master.begin());
    return KeyRing::FromMaster(master);
  }
  KeyRing ring;
  bool header = false;
  bool digest = false;
  std::size_t number = 0;
  std::istringstream in{std::string(bytes)};
  for (std::string text; std::getline(in, text);) {
    ++number;
    const auto w = Words(text);
    if (w.empty() || w[0].starts_with('#')) continue;
    if (!header) {
      if (text != kHeader)
        Malformed(number,
                  "not a swabline key file (want a 32-byte key or '" + std::string(kHeader) + "')");
      header = true;
    } else if (w[0] == "digest" && w.size() == 2 && !digest) {
      ring.digest = ParseHex(w[1], number);
      digest = true;
    } else if (w[0] == "id") {
      AddParsed(ring, KeyKind::kIdNumber, w, number);
    } else if (w[0] == "code") {
      AddParsed(ring, KeyKind::kPersonalCode, w, number);
    } else {
      Malformed(number, "unknown entry '" + std::string(w[0]) + "'");
    }
  }
  if (!header || !digest || ring.id_keys.empty() || ring.code_keys.empty())
    throw std::runtime_error(
        "key file is incomplete: it needs the header, a digest key, an id key and a code key");
  return ring;
}

std::string FormatKeyFile(const KeyRing& ring) {
  std::string out =
      "# Swabline keys. Keep this file mode 0600, apart from the database and its backups.\n"
      "# Change it only with `swabline keys ...` (docs/security.md, Key handling).\n";
  out += std::string(kHeader) + "\n";
  out += "digest " + Hex(ring.digest) + "\n";
  for (KeyKind kind : {KeyKind::kIdNumber, KeyKind::kPersonalCode})
    for (const RingKey& k : ring.Of(kind))
      out += std::string(kind == KeyKind::kIdNumber ? "id " : "code ") + std::to_string(k.kid) +
             " " + Hex(k.key) + " " + std::to_string(k.created_unix) + "\n";
  return out;
}

KeyRing ReadKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open key file " + path + ": " + std::strerror(errno));
  std::string bytes;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  try {
    KeyRing ring = ParseKeyFile(bytes);
    sodium_memzero(bytes.data(), bytes.size());
    return ring;
  } catch (const std::runtime_error& e) {
    sodium_memzero(bytes.data(), bytes.size());
    throw std::runtime_error(path + ": " + e.what());
  }
}

void WriteKeyFile(const std::string& path, const KeyRing& ring) {
  std::string text = FormatKeyFile(ring);
  const std::string temp = path + ".new";
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temp + ": " + std::strerror(errno));
  try {
    WriteAll(fd, text, temp);
    if (::fsync(fd) != 0) throw std::runtime_error("cannot sync " + temp);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    sodium_memzero(text.data(), text.size());
    throw;
  }
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (::rename(temp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot replace " + path + ": " + std::strerror(errno));
  SyncDirectoryOf(path);
}

std::uint32_t AddKey(KeyRing& ring, KeyKind kind, std::int64_t now_unix) {
  RingKey k;
  k.kid = ring.Newest(kind).kid + 1;
  randombytes_buf(k.key.data(), k.key.size());
  k.created_unix = now_unix;
  ring.Of(kind).push_back(k);
  return k.kid;
}

void RemoveKey(KeyRing& ring, KeyKind kind, std::uint32_t kid) {
  auto& keys = ring.Of(kind);
  if (keys.back().kid == kid)
    throw std::runtime_error(std::string(KeyKindName(kind)) + " key " + std::to_string(kid) +
                             " is the newest: new writes need it; rotate first");
  auto it =
      std::find_if(keys.begin(), keys.end(), [kid](const RingKey& k) { return k.kid == kid; });
  if (it == keys.end())
    throw std::runtime_error("no " + std::string(KeyKindName(kind)) + " key " +
                             std::to_string(kid) + " in the key file");
  sodium_memzero(it->key.data(), it->key.size());
  keys.erase(it);
}

std::string_view KeyKindName(KeyKind kind) {
  return kind == KeyKind::kIdNumber ? "ID-number" : "personal-code";
}

}  // namespace swabline::store
